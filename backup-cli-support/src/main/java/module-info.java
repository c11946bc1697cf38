/**
 * What the programs (backup-server, backupctl, backup-agent, the console's launcher) share on the command
 * line: the picocli set-up that never prints a stack trace, the exit codes, one-line errors, the log
 * backend, the daemons' readiness line and {@code --version}. Kept out of the core, so the core needs
 * neither picocli nor java.logging.
 */
module org.clusterbackup.cli {
    // Cli.configure takes a picocli CommandLine, and Version is a picocli version provider.
    requires transitive info.picocli;
    // Daemon and FingerprintCommand print the core's identities (security.Fingerprint, Identity).
    requires transitive org.clusterbackup.core;
    // Logging: the apps' backend for the core's System.Logger.
    requires java.logging;

    exports org.clusterbackup.cli;
}
