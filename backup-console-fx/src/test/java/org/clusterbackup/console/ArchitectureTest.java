package org.clusterbackup.console;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The MVVM rules, checked on the sources: ViewModels hold properties and no controls, and views never talk
 * to the server. A break here is a design slip, found before it spreads.
 */
class ArchitectureTest {
    private static final Path MAIN = Path.of("src/main/java/org/clusterbackup/console");

    private static List<String> importsMatching(String pkg, String regex) throws IOException {
        try (Stream<Path> files = Files.list(MAIN.resolve(pkg))) {
            return files.filter(f -> f.toString().endsWith(".java")).flatMap(f -> {
                try {
                    return Files.readAllLines(f).stream()
                            .filter(l -> l.startsWith("import ") && l.matches(regex))
                            .map(l -> f.getFileName() + ": " + l);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).sorted().toList();
        }
    }

    @Test
    void viewModelsUseNoControlsNodesOrWindows() throws IOException {
        assertEquals(List.of(), importsMatching("viewmodel", "import (static )?javafx\\.(scene|stage|application)\\..*"));
    }

    @Test
    void viewsDoNotReachTheServer() throws IOException {
        assertEquals(List.of(), importsMatching("view",
                "import (static )?org\\.clusterbackup\\.(console\\.service|core\\.(client|net|server))\\..*"));
    }

    @Test
    void onlyTheGatewayKnowsTheCoreClient() throws IOException {
        assertEquals(List.of(), importsMatching("viewmodel", "import org\\.clusterbackup\\.core\\.client\\.BackupClient;"));
    }
}
