package org.clusterbackup.core.net;

import java.util.Objects;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

/**
 * TLS of a listener: the context (our identity, and how peers' certificates are judged) and whether a
 * peer must present a certificate. Only TLS 1.3 is spoken.
 *
 * @param contexts the context for each new connection, made by {@code org.clusterbackup.core.security.Tls}:
 *     the same one while nothing changes, so that its session tickets let peers resume; a new one when the
 *     peers trusted change, so that no ticket issued before outlives the trust it was issued under
 * @param requireClientCertificate true where peers are daemons with identities (the agent's data plane)
 */
public record TlsSettings(Supplier<SSLContext> contexts, boolean requireClientCertificate) {
    static final String[] PROTOCOLS = {"TLSv1.3"};

    public TlsSettings {
        Objects.requireNonNull(contexts, "contexts");
    }

    /** One context for the listener's life. */
    public TlsSettings(SSLContext context, boolean requireClientCertificate) {
        this(fixed(context), requireClientCertificate);
    }

    private static Supplier<SSLContext> fixed(SSLContext context) {
        Objects.requireNonNull(context, "context");
        return () -> context;
    }

    SSLEngine newServerEngine() {
        SSLEngine engine = contexts.get().createSSLEngine();
        engine.setUseClientMode(false);
        SSLParameters params = engine.getSSLParameters();
        params.setProtocols(PROTOCOLS);
        params.setNeedClientAuth(requireClientCertificate);
        engine.setSSLParameters(params);
        return engine;
    }
}
