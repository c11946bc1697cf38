/**
 * The Cluster Backup operator console: a JavaFX window over the core client API, built MVVM-style. Views
 * (package {@code view}) only build and bind controls; ViewModels ({@code viewmodel}) hold JavaFX
 * properties and reach the server through {@code service.ServerGateway} on a background executor. Exports
 * nothing: it is a program, not a library.
 */
module org.clusterbackup.console {
    requires org.clusterbackup.core;
    // The programs' shared command line: exit codes, one-line errors, log set-up, --version.
    requires org.clusterbackup.cli;
    requires javafx.controls;
    // Flags of the launcher, as the other apps parse theirs.
    requires info.picocli;

    // picocli reads and sets the annotated option fields of ConsoleMain reflectively.
    opens org.clusterbackup.console to
            info.picocli;
}
