package org.clusterbackup.core.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.clusterbackup.core.fs.RequestedPaths;
import org.clusterbackup.core.model.ErrorCode;
import org.clusterbackup.core.model.RefusedException;

/**
 * Which directories an agent may read. A requested path is resolved to its real path (every symlink
 * followed) and must then lie inside one of the allowed roots, themselves resolved at start: so neither
 * {@code ..} nor a symlink can lead a request out. Every refusal names the path as requested, and a path
 * that is missing reads the same as one outside the roots, never naming where a symlink leads.
 */
final class PathPolicy {
    private final List<Path> roots;
    private final String flag;

    private PathPolicy(List<Path> roots, String flag) {
        this.roots = roots;
        this.flag = flag;
    }

    /**
     * @param roots allowed directories; each must exist
     * @param flag how users set these roots, for messages ({@code --allow})
     * @throws IOException a root does not exist or is not a directory
     */
    public static PathPolicy of(List<Path> roots, String flag) throws IOException {
        return new PathPolicy(RequestedPaths.realRoots(roots, flag), flag);
    }

    /**
     * The real directory a request may read.
     *
     * @throws RefusedException {@code REFUSED}, naming the path and the reason
     */
    public Path resolveDirectory(String requested) {
        if (roots.isEmpty()) {
            throw refused("this agent serves no paths (it was started without " + flag + "); refused " + requested);
        }
        Path path = RequestedPaths.parse(requested, "path");
        Path real;
        try {
            real = path.toRealPath();
        } catch (IOException e) {
            throw notServed(requested);
        }
        if (!inside(real)) {
            throw notServed(requested);
        }
        if (!Files.isDirectory(real)) {
            throw refused("path " + requested + " is not a directory");
        }
        return real;
    }

    /**
     * One refusal, in fixed words, for a path that is missing, unresolvable or outside: telling them apart
     * would let a peer probe which paths exist outside the roots, and where a symlink leads.
     */
    private RefusedException notServed(String requested) {
        return refused("path " + requested + " does not exist on this node or is outside the directories this"
                + " agent may serve: " + roots.stream().map(Path::toString).collect(Collectors.joining(", ")));
    }

    private boolean inside(Path real) {
        for (Path root : roots) {
            if (real.startsWith(root)) {
                return true;
            }
        }
        return false;
    }

    private static RefusedException refused(String message) {
        return new RefusedException(ErrorCode.REFUSED, message);
    }
}
