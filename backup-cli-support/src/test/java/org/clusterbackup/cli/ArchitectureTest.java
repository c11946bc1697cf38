package org.clusterbackup.cli;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The programs' shared command line stands under the apps and on the core's API alone. */
class ArchitectureTest {
    private static JavaClasses cli;

    @BeforeAll
    static void importCli() {
        cli = new ClassFileImporter().importPath(Path.of("target/classes"));
    }

    @Test
    void theCommandLineSupportKnowsNoApp() {
        noClasses()
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "org.clusterbackup.server..", "org.clusterbackup.agent..", "org.clusterbackup.console..")
                .check(cli);
    }

    @Test
    void theCommandLineSupportUsesOnlyTheCoresIdentities() {
        noClasses()
                .should()
                .dependOnClassesThat(resideInAPackage("org.clusterbackup.core..")
                        .and(not(resideInAPackage("org.clusterbackup.core.security.."))))
                .check(cli);
    }
}
