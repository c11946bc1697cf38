package org.clusterbackup.core;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.nio.file.Path;
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
        layeredArchitecture().consideringOnlyDependenciesInLayers().withOptionalLayers(true)
                .layer("wire").definedBy("org.clusterbackup.core.protocol..", "org.clusterbackup.core.model..")
                .layer("net").definedBy("org.clusterbackup.core.net..")
                .layer("archive").definedBy("org.clusterbackup.core.archive..")
                .layer("restore").definedBy("org.clusterbackup.core.restore..")
                .layer("schedule").definedBy("org.clusterbackup.core.schedule..")
                .layer("catalog").definedBy("org.clusterbackup.core.catalog..")
                .layer("index").definedBy("org.clusterbackup.core.index..")
                .layer("delta").definedBy("org.clusterbackup.core.delta..")
                .layer("store").definedBy("org.clusterbackup.core.store..")
                .layer("server").definedBy("org.clusterbackup.core.server..")
                .layer("agent").definedBy("org.clusterbackup.core.agent..")
                .layer("client").definedBy("org.clusterbackup.core.client..")
                .layer("cli").definedBy("org.clusterbackup.core.cli..")
                .whereLayer("wire").mayNotAccessAnyLayer()
                .whereLayer("server").mayNotBeAccessedByAnyLayer()
                .whereLayer("agent").mayNotBeAccessedByAnyLayer()
                .whereLayer("client").mayNotBeAccessedByAnyLayer()
                .whereLayer("cli").mayNotBeAccessedByAnyLayer()
                .whereLayer("store").mayOnlyBeAccessedByLayers("server")
                .whereLayer("catalog").mayOnlyBeAccessedByLayers("store", "server")
                .whereLayer("schedule").mayOnlyBeAccessedByLayers("server")
                .whereLayer("index").mayOnlyBeAccessedByLayers("store", "server")
                // The server checks a synthesized archive against the agent's tree digest, so it computes the
                // digest with the agent's own code; the index reuses the writer's cut rule and deflater.
                .whereLayer("archive").mayOnlyBeAccessedByLayers("agent", "server", "index")
                .whereLayer("restore").mayOnlyBeAccessedByLayers("agent")
                // Block deltas: the agent's writer describes files with it, the server's index rebuilds them.
                .whereLayer("delta").mayOnlyBeAccessedByLayers("archive", "index", "agent")
                .whereLayer("net").mayOnlyBeAccessedByLayers("server", "agent", "client")
                .check(core);
    }

    @Test
    void thePackagesHaveNoCycles() {
        slices().matching("org.clusterbackup.core.(*)..").should().beFreeOfCycles().check(core);
    }

    @Test
    void coreKnowsNoApp() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("org.clusterbackup.server..",
                "org.clusterbackup.agent..", "org.clusterbackup.console..").check(core);
    }
}
