package org.clusterbackup.core;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import org.clusterbackup.core.archive.ArchiveHooks;
import org.clusterbackup.core.server.RunHooks;
import org.clusterbackup.core.store.ArchiveStore;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layering of core's packages, checked on the compiled classes. At the bottom the wire vocabulary
 * (protocol, model); above it the transport (net) and the self-contained engines (archive, restore,
 * schedule, catalog, store); on top the roles that wire them up (server, agent, client). A role never
 * reaches into another role, and nothing below a role reaches up into it.
 */
class ArchitectureTest {
    private static JavaClasses core;

    @BeforeAll
    static void importCore() {
        core = new ClassFileImporter().importPath(Path.of("target/classes"));
    }

    @Test
    void thePackagesFormLayers() {
        layeredArchitecture()
                .consideringOnlyDependenciesInLayers()
                .withOptionalLayers(true)
                .layer("wire")
                .definedBy("org.clusterbackup.core.protocol..", "org.clusterbackup.core.model..")
                .layer("net")
                .definedBy("org.clusterbackup.core.net..")
                .layer("archive")
                .definedBy("org.clusterbackup.core.archive..")
                .layer("restore")
                .definedBy("org.clusterbackup.core.restore..")
                .layer("schedule")
                .definedBy("org.clusterbackup.core.schedule..")
                .layer("catalog")
                .definedBy("org.clusterbackup.core.catalog..")
                .layer("index")
                .definedBy("org.clusterbackup.core.index..")
                .layer("delta")
                .definedBy("org.clusterbackup.core.delta..")
                .layer("store")
                .definedBy("org.clusterbackup.core.store..")
                .layer("server")
                .definedBy("org.clusterbackup.core.server..")
                .layer("agent")
                .definedBy("org.clusterbackup.core.agent..")
                .layer("client")
                .definedBy("org.clusterbackup.core.client..")
                .whereLayer("wire")
                .mayNotAccessAnyLayer()
                .whereLayer("server")
                .mayNotBeAccessedByAnyLayer()
                .whereLayer("agent")
                .mayNotBeAccessedByAnyLayer()
                .whereLayer("client")
                .mayNotBeAccessedByAnyLayer()
                .whereLayer("store")
                .mayOnlyBeAccessedByLayers("server")
                .whereLayer("catalog")
                .mayOnlyBeAccessedByLayers("store", "server")
                .whereLayer("schedule")
                .mayOnlyBeAccessedByLayers("server")
                .whereLayer("index")
                .mayOnlyBeAccessedByLayers("store", "server")
                // The server checks a synthesized archive against the agent's tree digest, so it computes the
                // digest with the agent's own code; the index reuses the writer's cut rule and deflater.
                .whereLayer("archive")
                .mayOnlyBeAccessedByLayers("agent", "server", "index")
                .whereLayer("restore")
                .mayOnlyBeAccessedByLayers("agent")
                // Block deltas: the agent's writer describes files with it, the server's index rebuilds them.
                .whereLayer("delta")
                .mayOnlyBeAccessedByLayers("archive", "index", "agent")
                .whereLayer("net")
                .mayOnlyBeAccessedByLayers("server", "agent", "client")
                .check(core);
    }

    /** The seam a second catalog implementation fills speaks the model's words, not the wire's. */
    @Test
    void theCatalogDoesNotDependOnTheWireProtocol() {
        noClasses()
                .that()
                .resideInAPackage("org.clusterbackup.core.catalog..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("org.clusterbackup.core.protocol..")
                .check(core);
    }

    @Test
    void thePackagesHaveNoCycles() {
        slices().matching("org.clusterbackup.core.(*)..")
                .should()
                .beFreeOfCycles()
                .check(core);
    }

    @Test
    void coreKnowsNoApp() {
        noClasses()
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "org.clusterbackup.server..", "org.clusterbackup.agent..", "org.clusterbackup.console..")
                .check(core);
    }

    @Test
    void coreNeedsNoCommandLineLibraryAndNoLogBackend() {
        noClasses()
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("picocli..", "java.util.logging..", "org.clusterbackup.cli..")
                .check(core);
    }

    /**
     * The API the apps build on, and nothing more: the packages exported to everyone are these (at most seven),
     * none is exported to a chosen module, and the seams tests act through live in packages that are not.
     */
    @Test
    void coreExportsOnlyItsApi() throws IOException {
        ModuleDescriptor module;
        try (InputStream in = Files.newInputStream(Path.of("target/classes/module-info.class"))) {
            module = ModuleDescriptor.read(in);
        }
        Set<String> exported = new TreeSet<>();
        for (ModuleDescriptor.Exports e : module.exports()) {
            assertTrue(e.targets().isEmpty(), "qualified export " + e);
            exported.add(e.source());
        }
        assertEquals(
                new TreeSet<>(Set.of(
                        "org.clusterbackup.core.protocol",
                        "org.clusterbackup.core.model",
                        "org.clusterbackup.core.client",
                        "org.clusterbackup.core.security",
                        "org.clusterbackup.core.server.api",
                        "org.clusterbackup.core.agent",
                        "org.clusterbackup.core.net")),
                exported);
        for (Class<?> seam : new Class<?>[] {RunHooks.class, ArchiveStore.WriteHook.class, ArchiveHooks.class}) {
            assertFalse(exported.contains(seam.getPackageName()), seam + " is in an exported package");
        }
    }
}
