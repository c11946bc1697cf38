package org.clusterbackup.core.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Under the POSIX locale (LANG unset or C, as for systemd services and cron) a JVM cannot name a file called
 * {@code café.txt}; the launchers in bin/ give their JVMs a UTF-8 locale whatever the environment says. Both
 * run for real: a child JVM with {@code LANG=C}, started plainly and through the launchers' set-up.
 */
class LauncherLocaleTest {
    private static final String PROBE = """
            import java.nio.file.*;
            public class Probe {
                public static void main(String[] args) throws Exception {
                    try (DirectoryStream<Path> s = Files.newDirectoryStream(Path.of(args[0]))) {
                        for (Path p : s) {
                            String name = p.getFileName().toString();
                            System.out.println(Files.exists(Path.of(args[0], name)) ? "readable " + name : "lost");
                        }
                    } catch (InvalidPathException e) {
                        System.out.println("InvalidPathException");
                    }
                }
            }
            """;

    @TempDir
    Path tmp;

    @Test
    void theLaunchersJvmsNameNonAsciiFilesUnderThePosixLocale() throws Exception {
        Path tree = Files.createDirectories(tmp.resolve("tree"));
        Files.writeString(tree.resolve("café.txt"), "x");
        Path probe = Files.writeString(tmp.resolve("Probe.java"), PROBE);
        Path launcher = Path.of(System.getProperty("user.dir")).getParent().resolve("bin/lib/launcher.sh");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();

        String plain = run("exec '" + java + "' '" + probe + "' '" + tree + "'");
        String launched =
                run("source '" + launcher + "' && utf8_locale && exec '" + java + "' '" + probe + "' '" + tree + "'");

        assertEquals("InvalidPathException", plain.trim(), "the fault the launchers guard against");
        assertTrue(launched.contains("readable café.txt"), launched);
    }

    private String run(String script) throws IOException, InterruptedException {
        ProcessBuilder b = new ProcessBuilder("bash", "-c", script).redirectErrorStream(true);
        Map<String, String> env = b.environment();
        env.keySet()
                .removeIf(k -> k.startsWith("LC_")
                        || k.equals("LANG")
                        || k.equals("LANGUAGE")
                        || k.startsWith("JAVA_TOOL")
                        || k.startsWith("JDK_JAVA"));
        env.put("LANG", "C");
        Process p = b.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the probe did not finish");
        return out;
    }
}
