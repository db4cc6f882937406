package dev.spool.testsupport.fault;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy on 127.0.0.1 that forwards bytes both ways to one target and can cut every open connection at once,
 * the way a dropped Wi-Fi link or a restarted load balancer does: both sides see their connection end mid-request.
 * New connections are accepted again right after a cut. Bytes are pumped by two threads per connection without
 * being buffered beyond a socket read.
 */
public final class ConnectionCuttingProxy implements AutoCloseable {

    private static final int BUFFER = 64 * 1024;

    private final ServerSocket server;
    private final String targetHost;
    private final int targetPort;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger cuts = new AtomicInteger();
    private final Thread acceptor;

    private ConnectionCuttingProxy(String targetHost, int targetPort) throws IOException {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        this.server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        this.acceptor = daemon("cutting-proxy-accept", this::accept);
    }

    /** Starts a proxy on a free loopback port in front of {@code targetHost:targetPort}. */
    public static ConnectionCuttingProxy start(String targetHost, int targetPort) {
        try {
            return new ConnectionCuttingProxy(targetHost, targetPort);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The port clients connect to. */
    public int port() {
        return server.getLocalPort();
    }

    /** Closes every open connection, client and target side alike. */
    public void cutAll() {
        Set.copyOf(open).forEach(this::closeQuietly);
        cuts.incrementAndGet();
    }

    /** How often {@link #cutAll()} was called. */
    public int cuts() {
        return cuts.get();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket target;
                try {
                    target = new Socket(targetHost, targetPort);
                } catch (IOException unreachable) {
                    closeQuietly(client);
                    continue;
                }
                open.add(client);
                open.add(target);
                pump(client, target, "up");
                pump(target, client, "down");
            } catch (IOException e) {
                if (!server.isClosed()) {
                    throw new UncheckedIOException(e);
                }
            }
        }
    }

    private void pump(Socket from, Socket to, String direction) {
        daemon("cutting-proxy-" + direction, () -> {
            byte[] buffer = new byte[BUFFER];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                    out.write(buffer, 0, read);
                }
            } catch (IOException closed) {
                // One side went away, by a cut or on its own: the other side goes too, as with a real link.
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        });
    }

    private static Thread daemon(String name, Runnable work) {
        Thread thread = new Thread(work, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private void closeQuietly(Socket socket) {
        open.remove(socket);
        try {
            socket.close();
        } catch (IOException ignored) {
            // Already closed.
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException ignored) {
            // Already closed.
        }
        Set.copyOf(open).forEach(this::closeQuietly);
        try {
            acceptor.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
