package org.clusterbackup.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP proxy on loopback between a client and a server that a test can {@link #cut}: from then on it
 * forwards nothing in either direction, on the connections it carries and on new ones, yet closes none —
 * what a network partition does, where the peers see silence rather than a reset. {@link #restore} lets the
 * held bytes through again, as a healed partition does.
 */
public final class TcpProxy implements AutoCloseable {
    private final InetSocketAddress upstream;
    private final ServerSocket listener;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final Object gate = new Object();
    private boolean open = true;
    private volatile boolean closed;

    private TcpProxy(InetSocketAddress upstream, ServerSocket listener) {
        this.upstream = upstream;
        this.listener = listener;
    }

    /** Listens on 127.0.0.1 at a free port and forwards to {@code upstream}. */
    public static TcpProxy to(InetSocketAddress upstream) throws IOException {
        TcpProxy proxy = new TcpProxy(upstream, new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
        proxy.thread("tcp-proxy-accept", proxy::accept);
        return proxy;
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** Stops forwarding: bytes already sent and bytes still to come wait here, every socket stays open. */
    public void cut() {
        synchronized (gate) {
            open = false;
        }
    }

    /** Forwards again, the held bytes first. */
    public void restore() {
        synchronized (gate) {
            open = true;
            gate.notifyAll();
        }
    }

    private void awaitOpen() throws InterruptedException {
        synchronized (gate) {
            while (!open) {
                gate.wait();
            }
        }
    }

    private void accept() {
        while (!closed) {
            try {
                Socket client = listener.accept();
                sockets.add(client);
                thread("tcp-proxy-connect", () -> connect(client));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void connect(Socket client) {
        try {
            awaitOpen(); // a new connection during a cut reaches nothing either
            Socket server = new Socket(upstream.getAddress(), upstream.getPort());
            sockets.add(server);
            thread("tcp-proxy-up", () -> pump(client, server));
            thread("tcp-proxy-down", () -> pump(server, client));
        } catch (IOException | InterruptedException e) {
            quietlyClose(client);
        }
    }

    private void pump(Socket from, Socket to) {
        byte[] buffer = new byte[16 * 1024];
        try (InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                awaitOpen();
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException | InterruptedException e) {
            // One side went away: so does the other.
        } finally {
            quietlyClose(from);
            quietlyClose(to);
        }
    }

    private void thread(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        t.start();
    }

    private static void quietlyClose(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        listener.close();
        sockets.forEach(TcpProxy::quietlyClose);
        restore(); // pumps waiting at the gate find their sockets closed and end
    }
}
