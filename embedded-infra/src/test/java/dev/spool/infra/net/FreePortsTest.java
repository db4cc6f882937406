package dev.spool.infra.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

class FreePortsTest {

    @Test
    void aRequestedPortIsKept() {
        assertThat(FreePorts.resolve(8080)).isEqualTo(8080);
    }

    @Test
    void anyPortIsAFreeOneBelowTheEphemeralRange() throws IOException {
        for (int i = 0; i < 20; i++) {
            int port = FreePorts.resolve(0);
            assertThat(port).isBetween(FreePorts.LOWEST, FreePorts.HIGHEST);
            try (ServerSocket bound = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                assertThat(bound.getLocalPort()).isEqualTo(port);
            }
        }
    }
}
