package org.clusterbackup.core.archive;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The real GNU {@code tar} and {@code gzip}, which every archive must satisfy. */
public final class GnuTar {
    private GnuTar() {
    }

    /** {@code gzip -t}: the gzip stream is whole and its CRC and length check out. */
    public static void gzipTest(Path archive) throws IOException {
        run("gzip", "-t", archive.toString());
    }

    /** {@code tar -tzf}: the archive's names, in order. */
    public static List<String> list(Path archive) throws IOException {
        return lines(run("tar", "-tzf", archive.toString()));
    }

    /** {@code tar -tvzf}: one verbose line per entry. */
    public static List<String> listVerbose(Path archive) throws IOException {
        return lines(run("tar", "--numeric-owner", "-tvzf", archive.toString()));
    }

    /** {@code tar -xzf} into {@code dir}, which must exist. */
    public static void extract(Path archive, Path dir) throws IOException {
        run("tar", "-xzf", archive.toString(), "-C", dir.toString());
    }

    private static List<String> lines(String out) {
        List<String> lines = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (!line.isEmpty()) {
                lines.add(line);
            }
        }
        return lines;
    }

    private static String run(String... command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", command) + " did not finish in 60 s");
            }
            if (p.exitValue() != 0) {
                throw new IOException(String.join(" ", command) + " exited with " + p.exitValue() + ": " + out);
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + command[0], e);
        }
    }
}
