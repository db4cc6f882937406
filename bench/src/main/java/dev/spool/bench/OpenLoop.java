package dev.spool.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * Sends at a fixed rate whether or not earlier sends have finished, as independent users would: a closed loop
 * would slow down with the system under test and hide its queueing.
 */
final class OpenLoop {

    private OpenLoop() {
    }

    /**
     * Calls {@code send} for 0 to {@code count - 1}, {@code perSecond} a second from now, and returns what the
     * futures completed with, in order, without the {@code null}s that stand for refused sends.
     *
     * @param timeout how long all sends together may take once the last one left
     * @return the results and the wall time of sending
     */
    static <T> Sent<T> run(int count, double perSecond, IntFunction<CompletableFuture<T>> send, Duration timeout)
            throws Exception {
        List<CompletableFuture<T>> sent = new ArrayList<>(count);
        ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor();
        long start = System.nanoTime();
        long periodNanos = (long) (1e9 / perSecond);
        try {
            for (int i = 0; i < count; i++) {
                int number = i;
                CompletableFuture<T> done = new CompletableFuture<>();
                sent.add(done);
                clock.schedule(() -> send.apply(number).whenComplete((value, failure) -> {
                    if (failure != null) {
                        done.completeExceptionally(failure);
                    } else {
                        done.complete(value);
                    }
                }), i * periodNanos, TimeUnit.NANOSECONDS);
            }
            CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new))
                    .get(count * periodNanos / 1_000_000 + timeout.toMillis(), TimeUnit.MILLISECONDS);
        } finally {
            clock.shutdownNow();
        }
        long ended = System.nanoTime();
        List<T> results = sent.stream().map(CompletableFuture::join).filter(Objects::nonNull).toList();
        return new Sent<>(results, start, ended, count / ((ended - start) / 1e9));
    }

    /**
     * What an open loop sent.
     *
     * @param results what the accepted sends returned
     * @param startedAt when the first send was due, on {@link System#nanoTime()}
     * @param endedAt when the last send had its answer
     * @param sentPerSecond the rate actually achieved
     */
    record Sent<T>(List<T> results, long startedAt, long endedAt, double sentPerSecond) {

        Sent {
            results = List.copyOf(results);
        }
    }
}
