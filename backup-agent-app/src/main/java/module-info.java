/**
 * The thin {@code backup-agent} app: flags, logging and wiring of the core's agent. Exports nothing.
 */
module org.clusterbackup.agent {
    requires org.clusterbackup.core;
    // The programs' shared command line: exit codes, one-line errors, log set-up, --version.
    requires org.clusterbackup.cli;
    requires info.picocli;

    // picocli reads and sets the annotated command fields reflectively.
    opens org.clusterbackup.agent to
            info.picocli;
}
