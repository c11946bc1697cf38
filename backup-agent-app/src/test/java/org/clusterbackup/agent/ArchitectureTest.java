package org.clusterbackup.agent;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** backup-agent stands on the core alone: no app reaches into another, and the agent holds no server part. */
class ArchitectureTest {
    @Test
    void theAgentAppUsesNoOtherAppAndNoServerPart() {
        noClasses()
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "org.clusterbackup.server..",
                        "org.clusterbackup.console..",
                        "org.clusterbackup.core.server..",
                        "org.clusterbackup.core.catalog..",
                        "org.clusterbackup.core.store..",
                        "org.clusterbackup.core.schedule..")
                .check(new ClassFileImporter().importPath(Path.of("target/classes")));
    }
}
