/**
 * Cluster Backup core: the wire protocol and its NIO transport, the SQLite catalog, the server's control
 * plane and the typed client API. Apps (server, agent, CLI, console) only parse flags and wire these up.
 */
module org.clusterbackup.core {
    // Message records and TargetInfo are (de)serialised by Jackson; ObjectMapper appears in Json's API.
    requires transitive com.fasterxml.jackson.databind;
    requires java.sql;
    // The SQLite JDBC driver, found by DriverManager; nothing of it appears in our API.
    requires org.xerial.sqlitejdbc;
    // The PostgreSQL catalog of several servers: its JDBC driver (found by DriverManager) and the pool the
    // catalog borrows connections from; neither appears in our API.
    requires org.postgresql.jdbc;
    requires com.zaxxer.hikari;
    // TarArchiveOutputStream writes the backup archives; none of its types appear in our API.
    requires org.apache.commons.compress;
    // Shared command-line plumbing of the apps (org.clusterbackup.core.cli); only the apps load it, and
    // they have picocli. The console and other library users need neither.
    requires static info.picocli;
    // Builds each daemon's self-signed certificate (security.SelfSignedCertificate); nothing of it is in
    // our API. The provider module holds the ASN.1 names the builder takes.
    requires org.bouncycastle.pkix;
    requires org.bouncycastle.provider;
    // The apps' log backend (see Logging).
    requires java.logging;

    exports org.clusterbackup.core.protocol;
    exports org.clusterbackup.core.net;
    exports org.clusterbackup.core.model;
    exports org.clusterbackup.core.catalog;
    exports org.clusterbackup.core.server;
    exports org.clusterbackup.core.client;
    exports org.clusterbackup.core.store;
    exports org.clusterbackup.core.archive;
    exports org.clusterbackup.core.agent;
    exports org.clusterbackup.core.cli;
    exports org.clusterbackup.core.schedule;
    exports org.clusterbackup.core.restore;
    exports org.clusterbackup.core.security;

    // Jackson reads and writes the message records reflectively.
    opens org.clusterbackup.core.protocol to com.fasterxml.jackson.databind;
}
