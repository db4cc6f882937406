package dev.spool.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class SpoolLauncherStopTest {

    @Test
    void theServicesCloseBeforeTheServers() {
        List<String> order = new ArrayList<>();

        SpoolLauncher.stop(() -> order.add("services"), () -> order.add("servers"), Duration.ofSeconds(10));

        assertThat(order).containsExactly("services", "servers");
    }

    @Test
    void servicesStuckClosingDoNotKeepTheServersRunning() {
        CountDownLatch never = new CountDownLatch(1);
        List<String> closed = new ArrayList<>();

        SpoolLauncher.stop(() -> {
            try {
                never.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, () -> closed.add("servers"), Duration.ofMillis(200));

        assertThat(closed).containsExactly("servers");
    }
}
