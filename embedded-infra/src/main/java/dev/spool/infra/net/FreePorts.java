package dev.spool.infra.net;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Resolves a requested port: 0 means "any free port", chosen up front so that advertised addresses are right.
 *
 * <p>The port is picked below the operating system's ephemeral range (32768 and up on Linux, 49152 and up on macOS
 * and Windows), because a chosen port is bound later, and for a server that restarts on it, again and again: a port
 * from the ephemeral range can meanwhile become the local end of any outgoing connection on the machine, and the
 * bind then fails with "address already in use".
 */
public final class FreePorts {

    static final int LOWEST = 20_000;
    static final int HIGHEST = 32_767;
    private static final int ATTEMPTS = 200;

    private FreePorts() {
    }

    public static int resolve(int requested) {
        if (requested != 0) {
            return requested;
        }
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            int candidate = ThreadLocalRandom.current().nextInt(LOWEST, HIGHEST + 1);
            if (free(candidate)) {
                return candidate;
            }
        }
        throw new UncheckedIOException(new IOException(
                "no free port between " + LOWEST + " and " + HIGHEST + " on the loopback interface after "
                        + ATTEMPTS + " attempts"));
    }

    private static boolean free(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
