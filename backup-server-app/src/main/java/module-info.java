/**
 * The thin apps over the core: {@code backup-server} (flags, logging, wiring) and the {@code backupctl}
 * client. Exports nothing: these are programs, not a library.
 */
module org.clusterbackup.server {
    requires org.clusterbackup.core;
    // The programs' shared command line: exit codes, one-line errors, log set-up, --version.
    requires org.clusterbackup.cli;
    requires info.picocli;

    // picocli reads and sets the annotated command fields reflectively.
    opens org.clusterbackup.server to
            info.picocli;
    opens org.clusterbackup.server.ctl to
            info.picocli;
}
