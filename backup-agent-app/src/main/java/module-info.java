/**
 * The thin {@code backup-agent} app: flags, logging and wiring of the core's agent. Exports nothing.
 */
module org.clusterbackup.agent {
    requires org.clusterbackup.core;
    requires info.picocli;

    // picocli reads and sets the annotated command fields reflectively.
    opens org.clusterbackup.agent to info.picocli;
}
