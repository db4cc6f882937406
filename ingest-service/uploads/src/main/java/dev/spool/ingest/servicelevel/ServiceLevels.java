package dev.spool.ingest.servicelevel;

import dev.spool.ingest.problem.ProblemCode;
import dev.spool.ingest.problem.SpoolProblem;
import dev.spool.schemas.event.Priority;
import dev.spool.schemas.servicelevel.ServiceLevel;
import dev.spool.schemas.servicelevel.ServiceLevelSetting;
import dev.spool.schemas.topic.Topics;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import reactor.core.publisher.Mono;

/**
 * The service level of every ingest instance: read from this instance's copy, set by writing a record to
 * {@code spool.service-level}, which every instance follows. A change answers once this instance has read it back,
 * so that the operator's next request here sees it (other instances follow within a poll, about 200 ms).
 */
public class ServiceLevels {

    private static final Logger LOG = LoggerFactory.getLogger(ServiceLevels.class);

    private final ServiceLevelState state;
    private final KafkaTemplate<String, ServiceLevelSetting> template;
    private final Duration timeout;
    private final Clock clock = Clock.systemUTC();

    ServiceLevels(ServiceLevelState state, KafkaTemplate<String, ServiceLevelSetting> template, Duration timeout) {
        this.state = state;
        this.template = template;
        this.timeout = timeout;
    }

    /** The level in force on this instance. */
    public ServiceLevelSetting current() {
        return state.current();
    }

    /**
     * Refuses {@code request} when the level in force says so.
     *
     * @param tier the job's tier, or {@code null} while it is not chosen yet
     * @throws SpoolProblem {@code service_maintenance} or {@code service_degraded}
     */
    public void check(UploadRequest request, Priority tier) {
        refusal(request, tier).ifPresent(problem -> {
            throw problem;
        });
    }

    /** The refusal of {@code request} under the level in force, or empty when it may go on. */
    public Optional<SpoolProblem> refusal(UploadRequest request, Priority tier) {
        return ServiceLevelPolicy.refusal(state.current(), request, tier);
    }

    /**
     * Sets the level of every instance.
     *
     * @param message what refused callers are told, or {@code null} for the default sentence
     * @param operator who sets it (the admin's {@code sub})
     * @return the level in force here once the new record has been read back; fails with
     *     {@code service_level_unavailable} when Kafka does not acknowledge it, or it is not read back, in time
     */
    public Mono<ServiceLevelSetting> set(ServiceLevel level, String message, long retryAfterSeconds, String operator) {
        return Mono.defer(() -> {
            ServiceLevelSetting before = state.current();
            ServiceLevelSetting setting = new ServiceLevelSetting(level, message, retryAfterSeconds, clock.instant(),
                    operator);
            // Always partition 0, the one the followers read, whatever partitions the topic was given.
            ProducerRecord<String, ServiceLevelSetting> record = new ProducerRecord<>(Topics.SERVICE_LEVEL.name(), 0,
                    ServiceLevelSetting.KEY, setting);
            return Mono.fromFuture(() -> template.send(record))
                    .flatMap(sent -> state.applied(sent.getRecordMetadata().offset()))
                    .timeout(timeout)
                    .onErrorMap(e -> !(e instanceof SpoolProblem),
                            e -> new SpoolProblem(ProblemCode.SERVICE_LEVEL_UNAVAILABLE, e))
                    .doOnNext(applied -> log(before, setting));
        });
    }

    private static void log(ServiceLevelSetting before, ServiceLevelSetting after) {
        LOG.atInfo()
                .addKeyValue("serviceLevel", after.level().wireName())
                .addKeyValue("previousServiceLevel", before.level().wireName())
                .addKeyValue("setBy", after.setBy())
                .addKeyValue("retryAfterSeconds", after.retryAfterSeconds())
                .log("Service level set to {} by {} (was {}): {}", after.level().wireName(), after.setBy(),
                        before.level().wireName(), after.message() == null ? "default message" : after.message());
    }
}
