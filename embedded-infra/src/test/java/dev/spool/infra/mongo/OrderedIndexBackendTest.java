package dev.spool.infra.mongo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReplaceOptions;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded store's unique indexes ordered by value, on a real H2 file through the wire protocol: lookups by
 * {@code _id}, by a compound unique index and by {@code $in} find what was written, uniqueness holds, and both survive
 * a restart; a file written by mongo-java-server's own H2 backend (the other order) opens with its indexes rebuilt.
 */
class OrderedIndexBackendTest {

    private static final int JOBS = 300;

    @TempDir
    Path folder;

    @Test
    void lookupsAndUniquenessHoldAndSurviveARestart() {
        Path file = folder.resolve("mongo.mv.db");
        List<String> ids = ids();
        try (MongoWireServer server = MongoWireServer.start(file, 0); MongoClient client = MongoClients.create(server.uri())) {
            MongoCollection<Document> jobs = jobs(client);
            jobs.createIndex(Indexes.ascending("_id", "version"), new IndexOptions().name("guard").unique(true));
            for (String id : ids) {
                jobs.insertOne(new Document("_id", id).append("version", 1L));
            }
            for (String id : ids.subList(0, JOBS / 2)) {
                jobs.replaceOne(new Document("_id", id).append("version", 1L),
                        new Document("_id", id).append("version", 2L), new ReplaceOptions().upsert(true));
            }
            assertFound(jobs, ids);
        }
        try (MongoWireServer server = MongoWireServer.start(file, 0); MongoClient client = MongoClients.create(server.uri())) {
            MongoCollection<Document> jobs = jobs(client);
            assertFound(jobs, ids);
            String first = ids.get(0);
            assertThatThrownBy(() -> jobs.insertOne(new Document("_id", first).append("version", 9L)))
                    .isInstanceOfSatisfying(MongoWriteException.class, e -> assertThat(
                            ErrorCategory.fromErrorCode(e.getCode())).isEqualTo(ErrorCategory.DUPLICATE_KEY));
            assertThatThrownBy(() -> jobs.replaceOne(new Document("_id", first).append("version", 1L),
                    new Document("_id", first).append("version", 3L), new ReplaceOptions().upsert(true)))
                    .as("a guarded write on a stale version").isInstanceOf(MongoWriteException.class);
        }
    }

    @Test
    void aFileWrittenInTheOtherOrderOpensWithItsIndexesRebuilt() {
        Path file = folder.resolve("older.mv.db");
        List<String> ids = ids();
        MongoServer older = new MongoServer(new H2Backend(file.toString()));
        String uri = "mongodb://127.0.0.1:" + older.bind().getPort();
        try (MongoClient client = MongoClients.create(uri)) {
            MongoCollection<Document> jobs = jobs(client);
            jobs.createIndex(Indexes.ascending("_id", "version"), new IndexOptions().name("guard").unique(true));
            for (String id : ids) {
                jobs.insertOne(new Document("_id", id).append("version", 1L));
            }
        } finally {
            older.shutdownNow();
        }

        try (MongoWireServer server = MongoWireServer.start(file, 0); MongoClient client = MongoClients.create(server.uri())) {
            MongoCollection<Document> jobs = jobs(client);
            assertThat(jobs.countDocuments()).isEqualTo(JOBS);
            for (String id : ids) {
                assertThat(jobs.find(new Document("_id", id).append("version", 1L)).first()).as(id).isNotNull();
            }
            assertThatThrownBy(() -> jobs.insertOne(new Document("_id", ids.get(7)).append("version", 1L)))
                    .isInstanceOf(MongoWriteException.class);
        }
    }

    private static MongoCollection<Document> jobs(MongoClient client) {
        return client.getDatabase("spool").getCollection("jobs");
    }

    private static List<String> ids() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < JOBS; i++) {
            ids.add(UUID.randomUUID().toString());
        }
        return ids;
    }

    /** Every job by {@code _id}, by its guard and, all at once, by {@code $in}; the first half at version 2. */
    private static void assertFound(MongoCollection<Document> jobs, List<String> ids) {
        for (int i = 0; i < ids.size(); i++) {
            long version = i < JOBS / 2 ? 2L : 1L;
            assertThat(jobs.find(Filters.eq("_id", ids.get(i))).first()).as(ids.get(i))
                    .isEqualTo(new Document("_id", ids.get(i)).append("version", version));
            assertThat(jobs.find(new Document("_id", ids.get(i)).append("version", version)).first()).isNotNull();
            assertThat(jobs.find(new Document("_id", ids.get(i)).append("version", 3L - version)).first()).isNull();
        }
        assertThat(jobs.find(Filters.in("_id", ids)).into(new ArrayList<>())).hasSize(JOBS);
    }
}
