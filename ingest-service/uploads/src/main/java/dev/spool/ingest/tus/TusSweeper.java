package dev.spool.ingest.tus;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Discards expired resumable uploads on every instance: their S3 multipart uploads are aborted, staging and
 * unfinished objects deleted, and their records removed. Instances sweeping at once do not collide, since each
 * takes an upload's lease before touching it.
 */
@Component
public class TusSweeper implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(TusSweeper.class);
    private static final int BATCH = 100;

    private final TusUploadService uploads;
    private final TusUploadStore store;
    private final TusProperties tus;
    private volatile Disposable schedule;

    public TusSweeper(TusUploadService uploads, TusUploadStore store, TusProperties tus) {
        this.uploads = uploads;
        this.store = store;
        this.tus = tus;
    }

    /** One sweep of up to a batch of expired uploads; returns how many were discarded. */
    public Mono<Integer> sweepOnce() {
        return uploads.sweepExpired(BATCH);
    }

    @Override
    public void start() {
        store.ensureIndexes().subscribe(done -> { }, e -> LOG.warn("Could not create the tus_uploads index; the "
                + "sweeper scans without it until a restart", e));
        schedule = Flux.interval(tus.sweepInterval())
                .onBackpressureDrop()
                .concatMap(tick -> sweepOnce().onErrorResume(e -> {
                    LOG.warn("Sweeping expired resumable uploads failed; the next sweep tries again", e);
                    return Mono.empty();
                }), 1)
                .subscribe(count -> {
                    if (count > 0) {
                        LOG.info("Swept {} expired resumable uploads", count);
                    }
                });
    }

    @Override
    public void stop() {
        Disposable running = schedule;
        if (running != null) {
            running.dispose();
        }
    }

    @Override
    public boolean isRunning() {
        Disposable running = schedule;
        return running != null && !running.isDisposed();
    }
}
