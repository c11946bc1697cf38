package org.clusterbackup.core.restore;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs real commands (GNU {@code tar}, {@code mkfifo}) to make archives and files as the world makes them. */
final class TarCommand {
    private TarCommand() {
    }

    /** {@code tar -czf archive <args>} in {@code dir}. */
    static void create(Path dir, Path archive, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("tar", "-czf", archive.toString()));
        command.addAll(List.of(args));
        run(dir, command);
    }

    static void mkfifo(Path path) throws IOException {
        run(path.getParent(), List.of("mkfifo", path.toString()));
    }

    private static void run(Path dir, List<String> command) throws IOException {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", command) + " did not finish in 60 s");
            }
            if (p.exitValue() != 0) {
                throw new IOException(String.join(" ", command) + " exited with " + p.exitValue() + ": " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + command.get(0), e);
        }
    }
}
