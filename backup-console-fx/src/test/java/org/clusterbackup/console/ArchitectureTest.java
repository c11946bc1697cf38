package org.clusterbackup.console;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The MVVM rules, checked on the compiled classes: ViewModels hold properties and no controls, views never
 * talk to the server, and the console is an app of its own. A break here is a design slip, found before it
 * spreads.
 */
class ArchitectureTest {
    private static final String VIEW = "org.clusterbackup.console.view";
    private static final String VIEWMODEL = "org.clusterbackup.console.viewmodel";
    private static final String SERVICE = "org.clusterbackup.console.service";
    private static JavaClasses console;

    @BeforeAll
    static void importConsole() {
        console = new ClassFileImporter().importPath(Path.of("target/classes"));
    }

    @Test
    void viewModelsUseNoControlsNodesOrWindows() {
        noClasses()
                .that()
                .resideInAPackage(VIEWMODEL + "..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("javafx.scene..", "javafx.stage..", "javafx.application..")
                .orShould()
                .dependOnClassesThat()
                .resideInAPackage(VIEW + "..")
                .check(console);
    }

    @Test
    void viewsDoNotReachTheServer() {
        noClasses()
                .that()
                .resideInAPackage(VIEW + "..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        SERVICE + "..",
                        "org.clusterbackup.core.client..",
                        "org.clusterbackup.core.net..",
                        "org.clusterbackup.core.server..")
                .check(console);
    }

    @Test
    void onlyTheGatewayKnowsTheCoreClient() {
        noClasses()
                .that()
                .resideInAnyPackage(VIEW + "..", VIEWMODEL + "..")
                .should()
                .dependOnClassesThat()
                .haveFullyQualifiedName("org.clusterbackup.core.client.BackupClient")
                .check(console);
    }

    @Test
    void theServiceKnowsNoScreen() {
        noClasses()
                .that()
                .resideInAPackage(SERVICE + "..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(VIEW + "..", VIEWMODEL + "..", "javafx.scene..", "javafx.stage..")
                .check(console);
    }

    @Test
    void theConsoleUsesNoOtherApp() {
        noClasses()
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("org.clusterbackup.server..", "org.clusterbackup.agent..")
                .check(console);
    }
}
