package org.clusterbackup.core.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A file larger than any buffer, and larger than an int can count, passes through a small heap. */
class LargeFileTest {
    private static final long SIZE = (1L << 31) + 12_345; // past 2 GiB and Integer.MAX_VALUE
    private static final String HEAP = "-Xmx32m";

    @TempDir
    Path tmp;

    @Test
    void twoGigabyteFileStreamsThroughA32MegabyteHeap() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("tree"));
        try (RandomAccessFile sparse =
                new RandomAccessFile(root.resolve("sparse.bin").toFile(), "rw")) {
            sparse.setLength(SIZE); // a hole: reads as zeros, costs no disk
        }
        Trees.write(root, "z.txt", "after the big one\n");

        Map<String, String> probe = runProbe(root);

        assertTrue(Long.parseLong(probe.get("maxHeap")) <= 32L * 1024 * 1024, probe::toString);
        assertEquals("2", probe.get("files"));
        assertEquals("0", probe.get("warnings"));
        assertEquals(String.valueOf(SIZE), probe.get("scanSize"));
        assertEquals("sparse.bin", probe.get("name"));
        assertEquals(String.valueOf(SIZE), probe.get("headerSize"));
        assertEquals("true", probe.get("finished"));
        long records = 1 + 1 + (SIZE + 511) / 512 + 1 + 1 + 2; // headers, data, z.txt, two end records
        long tar = (records * 512 + 10_239) / 10_240 * 10_240;
        assertEquals(String.valueOf(tar), probe.get("tar"));
    }

    /** Runs {@link LargeFileProbe} in a fresh JVM with {@value #HEAP}, laid out as surefire laid out this one. */
    private static Map<String, String> runProbe(Path root)
            throws IOException, InterruptedException, URISyntaxException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add(HEAP);
        String modulePath = System.getProperty("jdk.module.path");
        if (modulePath != null) {
            // The probe lives in the module's package: patch the test classes into the module, as surefire does.
            Path probeClass = Path.of(
                    LargeFileProbe.class.getResource("LargeFileProbe.class").toURI());
            Path testClasses =
                    probeClass.getParent().getParent().getParent().getParent().getParent();
            command.addAll(List.of(
                    "--module-path",
                    modulePath,
                    "--patch-module",
                    "org.clusterbackup.core=" + testClasses,
                    "-m",
                    "org.clusterbackup.core/" + LargeFileProbe.class.getName()));
        } else {
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), LargeFileProbe.class.getName()));
        }
        command.add(root.toString());
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "probe still running after 120 s");
        assertEquals(0, p.exitValue(), out);
        Map<String, String> values = new HashMap<>();
        for (String pair : out.trim().split("\\s+")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                values.put(pair.substring(0, eq), pair.substring(eq + 1));
            }
        }
        return values;
    }
}
