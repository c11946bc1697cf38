package org.clusterbackup.core.fs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.clusterbackup.core.model.ErrorCode;
import org.clusterbackup.core.model.RefusedException;

/**
 * The first checks of the agent's path policies (what a backup may read, where a restore may write): the
 * roots an operator allowed, resolved once at start, and a path a peer asked for, parsed before anything on
 * disk is looked at.
 */
public final class RequestedPaths {
    private RequestedPaths() {}

    /**
     * The real paths of {@code roots}.
     *
     * @param flag how users set these roots, for messages ({@code --allow})
     * @throws IOException a root does not exist or is not a directory
     */
    public static List<Path> realRoots(List<Path> roots, String flag) throws IOException {
        List<Path> real = new ArrayList<>();
        for (Path r : roots) {
            Path abs = r.toAbsolutePath();
            if (!Files.isDirectory(abs)) {
                throw new IOException(flag + " " + r + " is not a directory");
            }
            real.add(abs.toRealPath());
        }
        return List.copyOf(real);
    }

    /**
     * A requested path that is absolute, valid on this platform and free of {@code .} and {@code ..}
     * segments; nothing on disk is touched.
     *
     * @param noun what the path is, for messages ({@code path}, {@code restore path})
     * @throws RefusedException {@code REFUSED}, naming the path as requested and what is wrong with it
     */
    public static Path parse(String requested, String noun) {
        if (requested == null || !requested.startsWith("/")) {
            throw refused(noun + " '" + requested + "' is not absolute");
        }
        Path path;
        try {
            path = Path.of(requested);
        } catch (InvalidPathException e) {
            throw refused(noun + " '" + requested + "' is not a valid path: " + e.getReason());
        }
        for (Path part : path) {
            if (part.toString().equals("..") || part.toString().equals(".")) {
                throw refused(noun + " '" + requested + "' contains a '" + part + "' segment");
            }
        }
        return path;
    }

    private static RefusedException refused(String message) {
        return new RefusedException(ErrorCode.REFUSED, message);
    }
}
