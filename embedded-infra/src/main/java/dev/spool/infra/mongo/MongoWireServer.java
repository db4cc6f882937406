package dev.spool.infra.mongo;

import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import dev.spool.infra.net.FreePorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A server speaking the MongoDB wire protocol (mongo-java-server): in memory for tests, or on an H2 file so
 * that the launcher keeps its jobs across restarts, its indexes ordered by value ({@link OrderedIndexBackend}). It
 * lacks transactions and change streams; Spool uses neither.
 */
public final class MongoWireServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MongoWireServer.class);

    private final MongoServer server;
    private final String uri;

    private MongoWireServer(MongoServer server, String uri) {
        this.server = server;
        this.uri = uri;
    }

    /** Starts in memory when {@code file} is {@code null}, else on that H2 file. */
    public static MongoWireServer start(Path file, int requestedPort) {
        int port = FreePorts.resolve(requestedPort);
        MongoServer server = new MongoServer(backend(file));
        server.bind("127.0.0.1", port);
        String uri = "mongodb://127.0.0.1:" + port;
        LOG.info("MongoDB-wire server listening on {}, {}", uri, file == null ? "in memory" : "data in " + file);
        return new MongoWireServer(server, uri);
    }

    private static MongoBackend backend(Path file) {
        if (file == null) {
            return new MemoryBackend();
        }
        try {
            Files.createDirectories(file.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new OrderedIndexBackend(file.toString());
    }

    public String uri() {
        return uri;
    }

    @Override
    public void close() {
        server.shutdownNow();
    }
}
