package org.clusterbackup.core.model;

/**
 * Paths of targets: absolute, with {@code //} folded and a trailing {@code /} dropped, so that
 * {@code /srv/app/} and {@code /srv/app} name the same target. {@code .} and {@code ..} segments are refused
 * rather than resolved: what they mean depends on symlinks on the node, which only the agent can see.
 */
public final class TargetPath {
    /** Longest path accepted, in characters (Linux's PATH_MAX is 4096 bytes). */
    public static final int MAX_LENGTH = 4096;

    private TargetPath() {}

    public static String normalize(String path) {
        if (path == null || path.isEmpty()) {
            throw new InvalidInputException("path is empty: expected an absolute path such as /srv/app");
        }
        if (path.length() > MAX_LENGTH) {
            throw new InvalidInputException("path of " + path.length() + " characters is longer than " + MAX_LENGTH);
        }
        if (path.indexOf('\0') >= 0) {
            throw new InvalidInputException("path '" + path.replace('\0', '?') + "' contains a NUL character");
        }
        if (path.charAt(0) != '/') {
            throw new InvalidInputException("path '" + path + "' is not absolute: it must start with /");
        }
        StringBuilder out = new StringBuilder(path.length());
        for (String segment : path.split("/")) {
            if (segment.isEmpty()) {
                continue;
            }
            if (segment.equals(".") || segment.equals("..")) {
                throw new InvalidInputException(
                        "path '" + path + "' contains a '" + segment + "' segment: give the path without . or ..");
            }
            out.append('/').append(segment);
        }
        return out.length() == 0 ? "/" : out.toString();
    }
}
