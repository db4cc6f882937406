package dev.spool.ingest.tus;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * The PATCH requests this instance is receiving. When the instance stops, each one is cut short before the web
 * server drains: it keeps the bytes it received, gives its upload back and answers {@code server_restarting}, so
 * the client resumes at once on another instance instead of waiting out a lease. Stops ahead of the web server
 * (the highest phase stops first).
 */
@Component
public class TusSessions implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(TusSessions.class);
    private static final Duration SAVE_WAIT = Duration.ofSeconds(15);

    private final Set<Session> active = ConcurrentHashMap.newKeySet();
    private volatile boolean running;

    /** One request: a signal to end it early, and the work that ends when it has saved what it received. */
    static final class Session {

        private final Sinks.Empty<Void> stop = Sinks.empty();
        private final CompletableFuture<Void> done = new CompletableFuture<>();
        private volatile boolean stopping;

        /** Completes when the request should stop reading. */
        Mono<Void> stopSignal() {
            return stop.asMono();
        }

        /** Whether the instance asked this request to stop. */
        boolean isStopping() {
            return stopping;
        }

        void requestStop() {
            stopping = true;
            stop.tryEmitEmpty();
        }

        void finished() {
            done.complete(null);
        }
    }

    /** Registers a request; {@code null} when the instance is stopping and the request must not start. */
    Session open() {
        if (!running) {
            return null;
        }
        Session session = new Session();
        active.add(session);
        return session;
    }

    void close(Session session) {
        active.remove(session);
        session.finished();
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        if (active.isEmpty()) {
            return;
        }
        LOG.info("Stopping {} resumable upload requests; each keeps the bytes it received", active.size());
        CompletableFuture<?>[] saves = active.stream().map(session -> {
            session.requestStop();
            return session.done;
        }).toArray(CompletableFuture[]::new);
        try {
            CompletableFuture.allOf(saves).get(SAVE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            LOG.warn("Resumable upload requests still saving after {}; their leases expire on their own", SAVE_WAIT);
        } catch (ExecutionException e) {
            LOG.warn("A resumable upload request failed while stopping", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
