package org.clusterbackup.server;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** backup-server and backupctl stand on the core alone: no app reaches into another. */
class ArchitectureTest {
    @Test
    void theServerAppUsesNoOtherApp() {
        noClasses()
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("org.clusterbackup.agent..", "org.clusterbackup.console..")
                .check(new ClassFileImporter().importPath(Path.of("target/classes")));
    }

    @Test
    void backupctlTalksToTheServerOnlyThroughTheClient() {
        noClasses()
                .that()
                .resideInAPackage("org.clusterbackup.server.ctl..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "org.clusterbackup.core.server..",
                        "org.clusterbackup.core.catalog..",
                        "org.clusterbackup.core.store..")
                .check(new ClassFileImporter().importPath(Path.of("target/classes")));
    }
}
