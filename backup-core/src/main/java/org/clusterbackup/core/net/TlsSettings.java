package org.clusterbackup.core.net;

import java.util.Objects;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

/**
 * TLS of a listener: the context (our identity, and how peers' certificates are judged) and whether a
 * peer must present a certificate. Only TLS 1.3 is spoken.
 *
 * @param context made by {@code org.clusterbackup.core.security.Tls}
 * @param requireClientCertificate true where peers are daemons with identities (the agent's data plane)
 */
public record TlsSettings(SSLContext context, boolean requireClientCertificate) {
    static final String[] PROTOCOLS = {"TLSv1.3"};

    public TlsSettings {
        Objects.requireNonNull(context, "context");
    }

    SSLEngine newServerEngine() {
        SSLEngine engine = context.createSSLEngine();
        engine.setUseClientMode(false);
        SSLParameters params = engine.getSSLParameters();
        params.setProtocols(PROTOCOLS);
        params.setNeedClientAuth(requireClientCertificate);
        engine.setSSLParameters(params);
        return engine;
    }
}
