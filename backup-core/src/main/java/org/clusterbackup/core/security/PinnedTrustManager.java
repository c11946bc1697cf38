package org.clusterbackup.core.security;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Trusts a peer by its certificate's fingerprint alone, SSH-style: no certificate authority, no host name,
 * no validity dates (identities are pinned and replaced deliberately, never by expiry). The TLS handshake
 * still proves that the peer holds the certificate's private key. Called in full handshakes only: a resumed
 * session is checked by its user ({@link Tls#afterHandshake}, {@link ListenerContexts}).
 */
final class PinnedTrustManager extends X509ExtendedTrustManager {
    private final DialCheck check;

    PinnedTrustManager(PeerCheck check) {
        this((host, port, presented) -> check.check(presented));
    }

    /** Judges a dialled peer by the host and port the socket or engine was made for. */
    PinnedTrustManager(DialCheck check) {
        this.check = check;
    }

    private void verify(X509Certificate[] chain) throws CertificateException {
        verify(chain, null, -1);
    }

    private void verify(X509Certificate[] chain, String host, int port) throws CertificateException {
        if (chain == null || chain.length == 0) {
            throw new CertificateException("the peer presented no certificate");
        }
        check.check(host, port, Fingerprint.of(chain[0]));
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        verify(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        verify(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        verify(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        SSLSession session = socket instanceof SSLSocket s ? s.getHandshakeSession() : null;
        if (session == null) {
            verify(chain);
        } else {
            verify(chain, session.getPeerHost(), session.getPeerPort());
        }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        verify(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        verify(chain, engine.getPeerHost(), engine.getPeerPort());
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
    }
}
