package org.clusterbackup.core.store;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The server that owns a temp file in a data dir several servers share: its {@code --name}, and the same
 * name as it appears in file names (temp files, {@code locks/<name>.lock}). Characters outside
 * {@code [A-Za-z0-9._:-]} are written as {@code %XX} (UTF-8), so a name can never climb out of a
 * directory, and the separator {@code @} before it is never part of it.
 *
 * @param name the server's name, as in the catalog's {@code servers} table
 */
public record TempOwner(String name) {
    public TempOwner {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("a server's name is not empty");
        }
    }

    /** The name as a file-name part: {@code s1}, {@code 10.0.0.5:7070}, {@code %2F} for a slash. */
    public String fileName() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || c == '.'
                    || c == '_'
                    || c == ':'
                    || c == '-') {
                out.write(b);
            } else {
                byte[] escaped = String.format("%%%02X", b & 0xff).getBytes(StandardCharsets.US_ASCII);
                out.write(escaped, 0, escaped.length);
            }
        }
        String encoded = out.toString(StandardCharsets.US_ASCII);
        // "." and ".." would name a directory, not a file beside others.
        return encoded.equals(".") || encoded.equals("..") ? encoded.replace(".", "%2E") : encoded;
    }
}
