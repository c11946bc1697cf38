package org.clusterbackup.core.archive;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The real GNU {@code tar} and {@code gzip}, which every archive must satisfy. */
public final class GnuTar {
    private GnuTar() {}

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

    /** {@code tar -czf archive <args>} run in {@code dir}: an archive as GNU tar makes it. */
    public static void create(Path dir, Path archive, String... args) throws IOException {
        String[] command = new String[3 + args.length];
        command[0] = "tar";
        command[1] = "-czf";
        command[2] = archive.toString();
        System.arraycopy(args, 0, command, 3, args.length);
        runIn(dir, command);
    }

    /** Makes a FIFO, which only a real command can (Java has no mkfifo). */
    public static void mkfifo(Path path) throws IOException {
        run("mkfifo", path.toString());
    }

    private static String run(String... command) throws IOException {
        return runIn(null, command);
    }

    private static String runIn(Path dir, String... command) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        if (dir != null) {
            builder.directory(dir.toFile());
        }
        Process p = builder.start();
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
