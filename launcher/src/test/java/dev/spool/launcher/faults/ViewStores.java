package dev.spool.launcher.faults;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import dev.spool.projection.mongo.JobViewRepository;
import dev.spool.schemas.envelope.EventJson;
import dev.spool.schemas.view.JobView;
import dev.spool.schemas.view.ViewStorage;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import reactor.core.publisher.Flux;

/**
 * Reads job views as the projection stored them: MongoDB through the projection's own repository, Redis by the
 * keys of {@link ViewStorage}. Calls fail fast while a store is down, so that callers can wait and ask again.
 */
public final class ViewStores implements AutoCloseable {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final int BATCH = 500;

    private final MongoClient mongo;
    private final JobViewRepository mongoViews;
    private final RedisClient redisClient;
    private StatefulRedisConnection<String, String> redis;

    public ViewStores(String mongoUri, String redisHost, int redisPort) {
        mongo = MongoClients.create(MongoClientSettings.builder()
                .applyConnectionString(new ConnectionString(mongoUri))
                .applyToClusterSettings(cluster -> cluster.serverSelectionTimeout(1, TimeUnit.SECONDS))
                .build());
        mongoViews = new JobViewRepository(mongo);
        redisClient = RedisClient.create(RedisURI.builder().withHost(redisHost).withPort(redisPort)
                .withTimeout(TIMEOUT).build());
        redisClient.setOptions(ClientOptions.builder()
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .build());
    }

    /** The MongoDB views of {@code jobIds} that exist. */
    public Map<String, JobView> mongoViews(Collection<String> jobIds) {
        return Flux.fromIterable(jobIds)
                .flatMap(mongoViews::find, 8)
                .collectMap(JobView::jobId)
                .block(TIMEOUT.multipliedBy(1 + jobIds.size() / BATCH));
    }

    /** The Redis views of {@code jobIds} that exist. */
    public Map<String, JobView> redisViews(Collection<String> jobIds) {
        List<String> ids = List.copyOf(jobIds);
        Map<String, JobView> views = new HashMap<>();
        for (int from = 0; from < ids.size(); from += BATCH) {
            String[] keys = ids.subList(from, Math.min(ids.size(), from + BATCH)).stream()
                    .map(ViewStorage::redisKey).toArray(String[]::new);
            for (KeyValue<String, String> entry : redis().sync().mget(keys)) {
                if (entry.hasValue()) {
                    JobView view = EventJson.mapper().readValue(entry.getValue(), JobView.class);
                    views.put(view.jobId(), view);
                }
            }
        }
        return views;
    }

    private synchronized StatefulRedisConnection<String, String> redis() {
        if (redis == null) {
            redis = redisClient.connect();
        }
        return redis;
    }

    @Override
    public synchronized void close() {
        if (redis != null) {
            redis.close();
        }
        redisClient.shutdown();
        mongo.close();
    }
}
