package org.clusterbackup.core.restore;

import java.io.IOException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.stream.Collectors;
import org.clusterbackup.core.fs.RequestedPaths;
import org.clusterbackup.core.model.ErrorCode;
import org.clusterbackup.core.model.RefusedException;

/**
 * Where an agent may restore: a requested directory must be absent or empty, and lie strictly inside one of
 * the restore roots (a root itself is never replaced). The roots are resolved to real paths at start, and a
 * request's parent directory to its real path when it is checked, so neither {@code ..} nor a symlink can
 * lead a restore out. The last component is not followed: if it is a symlink, the target "exists" and is
 * refused. Every refusal names the path as requested; a missing parent reads the same as one outside the
 * roots, and where a symlink leads is never said.
 *
 * <p>The check is a snapshot: {@link SafeExtractor} re-checks the target when it starts and when it moves
 * the restored tree into place.
 */
public final class RestorePolicy {
    /** How users set the roots, for messages. */
    static final String FLAG = "--restore-root";

    private final List<Path> roots;
    private final WritersCheck writers;

    private RestorePolicy(List<Path> roots, WritersCheck writers) {
        this.roots = roots;
        this.writers = writers;
    }

    /**
     * @param restoreRoots directories restores may write into; each must exist. Empty refuses every restore.
     * @throws IOException a root does not exist or is not a directory
     */
    public static RestorePolicy of(List<Path> restoreRoots) throws IOException {
        return of(restoreRoots, WritersCheck.effectiveUid());
    }

    /** A seam: the policy of an agent running as {@code agentUid} (tests run as root). */
    static RestorePolicy of(List<Path> restoreRoots, long agentUid) throws IOException {
        return new RestorePolicy(RequestedPaths.realRoots(restoreRoots, FLAG), new WritersCheck(agentUid));
    }

    /** The roots as resolved at start. */
    public List<Path> roots() {
        return roots;
    }

    /**
     * The directory a restore of {@code requested} may create: the real path of its parent plus its name.
     *
     * @throws RefusedException {@code REFUSED}, naming the path and the reason
     */
    public Path checkTarget(String requested) {
        if (roots.isEmpty()) {
            throw refused("this agent accepts no restores (started without " + FLAG + "); refused " + requested);
        }
        Path path = RequestedPaths.parse(requested, "restore path");
        Path parent = path.getParent();
        if (parent == null) {
            throw refused("restore path " + requested + " is the file system root");
        }
        Path realParent;
        try {
            realParent = parent.toRealPath();
        } catch (IOException e) {
            throw notInside(requested);
        }
        Path target = realParent.resolve(path.getFileName());
        if (!strictlyInsideARoot(target)) {
            throw notInside(requested);
        }
        if (!Files.isDirectory(realParent)) {
            throw refused("restore path " + requested + " has no parent directory: " + parent + " is not a directory");
        }
        String occupied = occupant(target);
        if (occupied != null) {
            throw refused("restore path " + requested + " already exists and " + occupied
                    + "; restore into an absent or empty directory");
        }
        String unsafe;
        try {
            unsafe = writers.unsafeWay(target);
        } catch (IOException e) {
            unsafe = "the directories on its way cannot be checked (" + e.getMessage() + ")";
        }
        if (unsafe != null) {
            throw refused("restore path " + requested + " is refused: " + unsafe + ", who could swap the directory"
                    + " a restore writes into for a symlink");
        }
        return target;
    }

    /**
     * What stands at {@code target} in the way of a restore, as the end of a sentence, or null when it is
     * absent or an empty directory.
     */
    static String occupant(Path target) {
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(target, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            return "cannot be read: " + e.getMessage();
        }
        if (a.isSymbolicLink()) {
            return "is a symlink";
        }
        if (!a.isDirectory()) {
            return "is not a directory";
        }
        try (DirectoryStream<Path> children = Files.newDirectoryStream(target)) {
            return children.iterator().hasNext() ? "is not empty" : null;
        } catch (IOException e) {
            return "cannot be listed: " + e.getMessage();
        } catch (DirectoryIteratorException e) {
            return "cannot be listed: " + e.getCause().getMessage();
        }
    }

    /**
     * One refusal, in fixed words, whether the parent is missing, unresolvable or outside the roots: telling
     * them apart would let a peer probe which paths exist outside the roots, and where a symlink leads.
     */
    private RefusedException notInside(String requested) {
        return refused("restore path " + requested + " is not inside the directories this agent may restore"
                + " into, or its parent directory does not exist: "
                + roots.stream().map(Path::toString).collect(Collectors.joining(", ")));
    }

    private boolean strictlyInsideARoot(Path target) {
        for (Path root : roots) {
            if (target.startsWith(root) && !target.equals(root)) {
                return true;
            }
        }
        return false;
    }

    private static RefusedException refused(String message) {
        return new RefusedException(ErrorCode.REFUSED, message);
    }
}
