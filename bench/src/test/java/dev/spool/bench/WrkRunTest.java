package dev.spool.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class WrkRunTest {

    private static final String REPORT = """
            Running 20s test @ http://127.0.0.1:8080/api/v1/jobs/abc
              2 threads and 64 connections
              Thread Stats   Avg      Stdev     Max   +/- Stdev
                Latency     5.12ms    2.34ms  45.67ms   80.00%
                Req/Sec     6.27k   500.00     7.00k    70.00%
              Latency Distribution
                 50%  812.00us
                 75%    6.00ms
                 90%    7.50ms
                 99%    1.20s
              250000 requests in 20.00s, 50.00MB read
              Socket errors: connect 0, read 2, write 1, timeout 3
              Non-2xx or 3xx responses: 17
            Requests/sec:  12500.50
            Transfer/sec:      2.50MB
            """;

    @Test
    void readsRatePercentilesInMillisecondsAndErrors() {
        WrkRun run = WrkRun.parse(REPORT);

        assertThat(run.requestsPerSecond()).isEqualTo(12500.50);
        assertThat(run.p50Millis()).isEqualTo(0.812);
        assertThat(run.p90Millis()).isEqualTo(7.5);
        assertThat(run.p99Millis()).isEqualTo(1200.0);
        assertThat(run.requests()).isEqualTo(250_000);
        assertThat(run.non2xx()).isEqualTo(17);
        assertThat(run.socketErrors()).isEqualTo(6);
    }

    @Test
    void refusesOutputWithoutALatencyDistribution() {
        assertThatThrownBy(() -> WrkRun.parse("Requests/sec: 10\n")).isInstanceOf(IllegalArgumentException.class);
    }
}
