package dev.spool.ingest.servicelevel;

import dev.spool.schemas.servicelevel.ServiceLevelSetting;
import java.util.concurrent.atomic.AtomicReference;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * This instance's copy of the service level: the latest record read from {@code spool.service-level}, and how far
 * the topic has been read, so that a writer can wait until its own record applies here. {@code full} until the
 * first record is read.
 */
public final class ServiceLevelState {

    private final AtomicReference<ServiceLevelSetting> current = new AtomicReference<>(ServiceLevelSetting.initial());
    /** The next offset to read; only the follower's thread emits, so emissions never race. */
    private final Sinks.Many<Long> positions = Sinks.many().replay().latest();

    /** The level in force on this instance. */
    public ServiceLevelSetting current() {
        return current.get();
    }

    /** Applies the record read from the topic: a setting, or {@code null} (a tombstone), which is {@code full}. */
    void apply(ServiceLevelSetting setting) {
        current.set(setting == null ? ServiceLevelSetting.initial() : setting);
    }

    /** The topic has been read up to {@code position} (exclusive), every record before it applied. */
    void readUpTo(long position) {
        positions.tryEmitNext(position);
    }

    /** Completes with the level in force once the record at {@code offset} has been applied on this instance. */
    Mono<ServiceLevelSetting> applied(long offset) {
        return positions.asFlux().filter(position -> position > offset).next().map(position -> current());
    }
}
