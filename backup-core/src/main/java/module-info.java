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
    // Builds each daemon's self-signed certificate (security.SelfSignedCertificate); nothing of it is in
    // our API. The provider module holds the ASN.1 names the builder takes.
    requires org.bouncycastle.pkix;
    requires org.bouncycastle.provider;

    // The API, exported to everyone: what the apps (server, agent, backupctl, console) and the command-line
    // support use. Everything else (catalog, store, schedule, archive, index, restore, fs, and the server's
    // parts with the seams tests act through) is internal; tests reach it through --add-exports.
    exports org.clusterbackup.core.protocol;
    exports org.clusterbackup.core.model;
    exports org.clusterbackup.core.client;
    exports org.clusterbackup.core.security;
    exports org.clusterbackup.core.server.api;
    exports org.clusterbackup.core.agent;
    // Only for RemoteErrorException, which the apps catch; once it lives in client, net is internal too.
    exports org.clusterbackup.core.net;

    // Jackson reads and writes the message records reflectively, and the model types inside them
    // (TargetSelector, ErrorCode and the run enums).
    opens org.clusterbackup.core.protocol to
            com.fasterxml.jackson.databind;
    opens org.clusterbackup.core.model to
            com.fasterxml.jackson.databind;
}
