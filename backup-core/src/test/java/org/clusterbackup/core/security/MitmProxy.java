package org.clusterbackup.core.security;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/**
 * A man in the middle on loopback: it terminates TLS with its own identity (trusting anyone), dials the
 * real endpoint with that same identity, and relays plaintext both ways, counting what it could read.
 */
public final class MitmProxy implements AutoCloseable {
    private final SSLServerSocket listener;
    private final InetSocketAddress upstream;
    private final SSLContext context;
    private final AtomicLong relayedToUpstream = new AtomicLong();
    private final Thread acceptor;

    public MitmProxy(Path stateDir, String listenHost, InetSocketAddress upstream) throws IOException {
        Identity own = Identity.loadOrCreate(stateDir, "mallory");
        this.context = Tls.context(own, presented -> {});
        this.upstream = upstream;
        this.listener = (SSLServerSocket) context.getServerSocketFactory().createServerSocket();
        listener.setWantClientAuth(true);
        listener.bind(new InetSocketAddress(listenHost, 0));
        acceptor = new Thread(this::accept, "mitm-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) listener.getLocalSocketAddress();
    }

    /** Plaintext bytes the proxy managed to pass on to the real endpoint. */
    public long relayedToUpstream() {
        return relayedToUpstream.get();
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket victim = listener.accept();
                SSLSocket real =
                        (SSLSocket) context.getSocketFactory().createSocket(upstream.getAddress(), upstream.getPort());
                pipe(victim, real, relayedToUpstream);
                pipe(real, victim, new AtomicLong());
            } catch (IOException e) {
                return;
            }
        }
    }

    private static void pipe(Socket from, Socket to, AtomicLong counter) {
        Thread t = new Thread(
                () -> {
                    byte[] buf = new byte[8192];
                    try (from;
                            to;
                            InputStream in = from.getInputStream();
                            OutputStream out = to.getOutputStream()) {
                        int n;
                        while ((n = in.read(buf)) > 0) {
                            out.write(buf, 0, n);
                            out.flush();
                            counter.addAndGet(n);
                        }
                    } catch (IOException e) {
                        // one side went away: so does the other
                    }
                },
                "mitm-pipe");
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void close() throws IOException {
        listener.close();
    }
}
