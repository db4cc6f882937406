package dev.spool.ingest.tus;

import com.mongodb.reactivestreams.client.MongoClient;
import dev.spool.ingest.resilience.DependencyGuard;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The upload records of an instance that dies at a chosen step of finishing an upload: from that instant every call
 * to MongoDB fails, so the instance changes nothing more of the upload (each later step, the publish included, waits
 * for the record's write before it) and its lease stays held until it lapses, as after a SIGKILL. The servers are the
 * real ones; only the instance's own further writes are cut off.
 */
final class CrashingUploadStore extends TusUploadStore {

    /** Where the instance dies, named by the record write it dies before or after. */
    enum Step {
        /** S3 has assembled the parts; the record still says uploading. */
        AFTER_S3_ASSEMBLY(upload -> upload.status() == TusUpload.Status.ASSEMBLED, false),
        /** The record says assembled; the job was not published. */
        AFTER_ASSEMBLED_RECORD(upload -> upload.status() == TusUpload.Status.ASSEMBLED, true),
        /** Kafka acknowledged the job's transaction; the record still says assembled. */
        AFTER_KAFKA_ACK(upload -> upload.status() == TusUpload.Status.COMPLETED, false),
        /** The record says completed; the client was not answered. */
        AFTER_COMPLETED_RECORD(upload -> upload.status() == TusUpload.Status.COMPLETED, true);

        private final Predicate<TusUpload> write;
        private final boolean afterWrite;

        Step(Predicate<TusUpload> write, boolean afterWrite) {
            this.write = write;
            this.afterWrite = afterWrite;
        }
    }

    private final CountDownLatch died = new CountDownLatch(1);
    private volatile Step armed;

    CrashingUploadStore(MongoClient mongo, DependencyGuard guard) {
        super(mongo, guard);
    }

    /** Dies at {@code step} of the next upload that reaches it. */
    void dieAt(Step step) {
        armed = step;
    }

    /** Waits until the instance died; {@code false} when it did not within {@code timeout}. */
    boolean awaitDeath(Duration timeout) throws InterruptedException {
        return died.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private boolean dead() {
        return died.getCount() == 0;
    }

    private <T> Mono<T> gone() {
        return Mono.error(new IllegalStateException("this instance is dead"));
    }

    @Override
    public Mono<Void> save(TusUpload upload, String token, Instant leaseUntil) {
        return Mono.defer(() -> saveUnlessDead(upload, token, leaseUntil));
    }

    private Mono<Void> saveUnlessDead(TusUpload upload, String token, Instant leaseUntil) {
        if (dead()) {
            return gone();
        }
        Step step = armed;
        if (step == null || !step.write.test(upload)) {
            return super.save(upload, token, leaseUntil);
        }
        if (!step.afterWrite) {
            died.countDown();
            return gone();
        }
        return super.save(upload, token, leaseUntil).then(Mono.defer(() -> {
            died.countDown();
            return gone();
        }));
    }

    @Override
    public Mono<Void> create(TusUpload upload) {
        return Mono.defer(() -> dead() ? gone() : super.create(upload));
    }

    @Override
    public Mono<TusUpload> find(String id) {
        return Mono.defer(() -> dead() ? gone() : super.find(id));
    }

    @Override
    public Mono<TusUpload> lock(String id, String token, Instant now, Duration ttl) {
        return Mono.defer(() -> dead() ? gone() : super.lock(id, token, now, ttl));
    }

    @Override
    public Mono<Boolean> renew(String id, String token, Instant until) {
        return Mono.defer(() -> dead() ? gone() : super.renew(id, token, until));
    }

    @Override
    public Mono<Void> unlock(String id, String token) {
        return Mono.defer(() -> dead() ? gone() : super.unlock(id, token));
    }

    @Override
    public Mono<Void> delete(String id, String token) {
        return Mono.defer(() -> dead() ? gone() : super.delete(id, token));
    }

    @Override
    public Flux<TusUpload> expired(Instant now, int limit) {
        return Flux.defer(() -> dead() ? Flux.error(new IllegalStateException("this instance is dead"))
                : super.expired(now, limit));
    }
}
