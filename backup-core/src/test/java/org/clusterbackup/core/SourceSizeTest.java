package org.clusterbackup.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The project's size rule: no main source file of any module over {@value #MAX_LINES} lines. A class that
 * grows past it has grown a second job; split it along that seam (docs/ARCHITECTURE.md, "Codebase health").
 * Checked here, for every module of the reactor, because a rule kept by hand is a rule broken by the next
 * feature.
 */
class SourceSizeTest {
    private static final int MAX_LINES = 450;

    @Test
    void noMainSourceFileOfAnyModuleIsLongerThanTheLimit() throws IOException {
        Path root = Path.of("").toAbsolutePath().getParent(); // tests run in the module's own directory
        List<Path> mains;
        try (Stream<Path> modules = Files.list(root)) {
            mains = modules.map(m -> m.resolve("src/main/java"))
                    .filter(Files::isDirectory)
                    .toList();
        }
        assertTrue(
                mains.stream().anyMatch(p -> p.startsWith(root.resolve("backup-core"))),
                "the reactor's modules were not found from " + root);
        List<String> tooLong;
        try (Stream<Path> files = mains.stream().flatMap(SourceSizeTest::javaFiles)) {
            tooLong = files.map(f -> new Sized(root.relativize(f), lines(f)))
                    .filter(s -> s.lines() > MAX_LINES)
                    .map(s -> s.file() + " (" + s.lines() + " lines)")
                    .sorted()
                    .toList();
        }
        assertEquals(List.of(), tooLong, "main source files over " + MAX_LINES + " lines");
    }

    private record Sized(Path file, long lines) {}

    private static Stream<Path> javaFiles(Path dir) {
        try {
            return Files.walk(dir).filter(p -> p.toString().endsWith(".java"));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static long lines(Path file) {
        try (Stream<String> s = Files.lines(file)) {
            return s.count();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
