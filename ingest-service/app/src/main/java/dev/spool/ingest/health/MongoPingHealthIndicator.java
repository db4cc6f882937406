package dev.spool.ingest.health;

import com.mongodb.reactivestreams.client.MongoClient;
import dev.spool.ingest.config.StatusProperties;
import dev.spool.schemas.view.ViewStorage;
import java.time.Duration;
import org.bson.Document;
import org.springframework.boot.health.contributor.AbstractReactiveHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * MongoDB health as {@code ping} on the views database. Replaces Boot's indicator (same bean name), whose
 * {@code hello} command the embedded Mongo-wire server does not implement, so health would read DOWN there.
 */
@Component("mongoHealthIndicator")
public class MongoPingHealthIndicator extends AbstractReactiveHealthIndicator {

    private final MongoClient mongo;
    private final Duration timeout;

    public MongoPingHealthIndicator(MongoClient mongo, StatusProperties status) {
        super("MongoDB ping failed");
        this.mongo = mongo;
        this.timeout = status.storeTimeout();
    }

    @Override
    protected Mono<Health> doHealthCheck(Health.Builder builder) {
        return Mono.from(mongo.getDatabase(ViewStorage.MONGO_DATABASE).runCommand(new Document("ping", 1)))
                .timeout(timeout)
                .map(reply -> builder.up().withDetail("database", ViewStorage.MONGO_DATABASE).build());
    }
}
