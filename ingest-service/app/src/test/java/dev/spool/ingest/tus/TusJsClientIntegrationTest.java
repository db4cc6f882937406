package dev.spool.ingest.tus;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spool.testsupport.SharedInfra;
import dev.spool.testsupport.fault.ConnectionCuttingProxy;
import dev.spool.ingest.JobEventsProbe;
import dev.spool.ingest.auth.JwtIssuer;
import dev.spool.schemas.event.JobAccepted;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import tools.jackson.databind.JsonNode;

/**
 * The maintained tus client, tus-js-client on Node, against ingest-service on the real servers: a 1 GiB upload that
 * loses its connection, outlives an ingest restart and is paused by its user still completes into exactly one job
 * with the file's SHA-256, resuming each time from the offset the server reported; and an upload cannot be resumed
 * with someone else's token.
 */
class TusJsClientIntegrationTest {

    private static final String SECRET = JwtIssuer.randomSecret();
    private static final JwtIssuer ISSUER = new JwtIssuer(SECRET);
    private static final long GIB = 1024L * 1024 * 1024;
    private static final long MIB = 1024L * 1024;
    private static final List<Integer> RETRY_DELAYS = List.of(200, 500, 1000, 1000, 2000, 2000, 3000, 3000, 3000,
            3000, 3000, 3000, 3000, 3000);
    private static final String BUCKET = "spool-uploads";

    @TempDir
    private static Path files;

    private static int port;
    private static String rateLimitPrefix;
    private static IngestInstance ingest;

    @BeforeAll
    static void startIngest() {
        port = IngestInstance.freePort();
        rateLimitPrefix = "spool:test:" + UUID.randomUUID() + ":ratelimit:";
        ingest = IngestInstance.start(port, SECRET, rateLimitPrefix);
    }

    @AfterAll
    static void stopIngest() {
        if (ingest != null) {
            ingest.close();
        }
    }

    @Test
    void aGibUploadSurvivesACutConnectionAnIngestRestartAndAPauseAndBecomesOneJob() throws Exception {
        String user = "tus-js-" + UUID.randomUUID();
        Path file = files.resolve("big.txt");
        String sha256 = writeText(file, GIB);
        try (ConnectionCuttingProxy proxy = ConnectionCuttingProxy.start("127.0.0.1", port);
                NodeTusDriver client = NodeTusDriver.start(options(user, file, proxy.port()))) {
            client.awaitProgress(GIB / 4, 0, Duration.ofMinutes(2));
            proxy.cutAll();

            client.awaitProgress(GIB / 2, client.eventCount(), Duration.ofMinutes(2));
            ingest.close();
            ingest = IngestInstance.start(port, SECRET, rateLimitPrefix);

            client.awaitProgress(3 * GIB / 4, client.eventCount(), Duration.ofMinutes(2));
            client.send("abort");
            client.await(event -> "aborted".equals(event.path("event").asString()), Duration.ofSeconds(30));
            client.send("start");

            JsonNode end = client.awaitEnd(Duration.ofMinutes(4));
            assertThat(end.path("event").asString()).as(end.toString()).isEqualTo("success");
            List<Long> resumedAt = assertEveryPatchStartsAtTheServersOffset(client.events());
            assertThat(resumedAt).as("offsets the client resumed from after each interruption").hasSizeGreaterThanOrEqualTo(3);
            assertThat(resumedAt).isSorted();
            assertThat(resumedAt.get(resumedAt.size() - 1)).isGreaterThan(GIB / 2);

            String jobId = end.path("jobId").asString();
            List<JobAccepted> jobs = JobEventsProbe.acceptedFor(SharedInfra.get().kafkaBootstrapServers(), user);
            assertThat(jobs).singleElement().satisfies(job -> {
                assertThat(job.jobId()).isEqualTo(jobId);
                assertThat(job.size()).isEqualTo(GIB);
                assertThat(job.sha256()).isEqualTo(sha256);
                assertThat(job.filename()).isEqualTo("big.txt");
            });
            assertThat(storedSha256("uploads/" + jobId)).isEqualTo(sha256);
            assertThat(ingest.bean(S3AsyncClient.class).listMultipartUploads(r -> r.bucket(BUCKET)
                    .prefix("uploads/" + jobId)).get().uploads()).isEmpty();
            // A gibibyte less for the rest of the run's S3Proxy folder.
            ingest.bean(S3AsyncClient.class).deleteObject(r -> r.bucket(BUCKET).key("uploads/" + jobId)).get();
        }
    }

    @Test
    void anotherUsersTokenCannotResumeAnUploadAndItsCreatorStillCan() throws Exception {
        String owner = "tus-js-" + UUID.randomUUID();
        Path file = files.resolve("shared.txt");
        String sha256 = writeText(file, 20 * MIB);
        String endpoint = "http://127.0.0.1:" + port + "/api/v1/tus/";

        Map<String, Object> first = options(owner, file, port);
        first.put("chunkSize", 5 * MIB);
        first.put("stopAfterBytes", 12 * MIB);
        String url;
        try (NodeTusDriver client = NodeTusDriver.start(first)) {
            url = client.await(event -> "stopped".equals(event.path("event").asString()), Duration.ofMinutes(1))
                    .path("url").asString();
        }
        assertThat(url).startsWith(endpoint);
        long kept = Long.parseLong(new TusClient(port).head(url, ISSUER.user(owner)).headers()
                .firstValue("Upload-Offset").orElseThrow());
        assertThat(kept).isGreaterThanOrEqualTo(10 * MIB);

        Map<String, Object> stranger = options("tus-js-" + UUID.randomUUID(), file, port);
        stranger.put("uploadUrl", url);
        // Without an endpoint the client cannot fall back to creating an upload of its own: it must resume or fail.
        stranger.remove("endpoint");
        try (NodeTusDriver client = NodeTusDriver.start(stranger)) {
            JsonNode end = client.awaitEnd(Duration.ofMinutes(1));
            assertThat(end.path("event").asString()).isEqualTo("error");
            assertThat(end.path("status").asInt()).isEqualTo(403);
            assertThat(client.events()).noneMatch(event -> "PATCH".equals(event.path("method").asString()));
        }

        Map<String, Object> again = options(owner, file, port);
        again.put("uploadUrl", url);
        try (NodeTusDriver client = NodeTusDriver.start(again)) {
            JsonNode end = client.awaitEnd(Duration.ofMinutes(1));
            assertThat(end.path("event").asString()).as(end.toString()).isEqualTo("success");
            assertThat(client.events()).filteredOn(event -> "PATCH".equals(event.path("method").asString())
                    && "request".equals(event.path("event").asString()))
                    .first().satisfies(patch -> assertThat(patch.path("offset").asString())
                            .isEqualTo(Long.toString(kept)));
        }
        assertThat(JobEventsProbe.acceptedFor(SharedInfra.get().kafkaBootstrapServers(), owner))
                .singleElement().satisfies(job -> assertThat(job.sha256()).isEqualTo(sha256));
    }

    /**
     * Every PATCH carries the offset of the server's last answer (the creation's 0, a HEAD's or a PATCH's
     * {@code Upload-Offset}); returns the offsets a HEAD reported, i.e. where the client resumed.
     */
    private static List<Long> assertEveryPatchStartsAtTheServersOffset(List<JsonNode> events) {
        List<Long> resumedAt = new ArrayList<>();
        Long serverOffset = null;
        for (JsonNode event : events) {
            String method = event.path("method").asString();
            if ("response".equals(event.path("event").asString())) {
                int status = event.path("status").asInt();
                if ("POST".equals(method) && status == 201) {
                    serverOffset = 0L;
                } else if (("HEAD".equals(method) && status == 200 || "PATCH".equals(method) && status == 204)
                        && !event.path("offset").isNull()) {
                    serverOffset = Long.parseLong(event.path("offset").asString());
                    if ("HEAD".equals(method)) {
                        resumedAt.add(serverOffset);
                    }
                }
            } else if ("request".equals(event.path("event").asString()) && "PATCH".equals(method)) {
                assertThat(serverOffset).as("a PATCH before any offset from the server").isNotNull();
                assertThat(Long.parseLong(event.path("offset").asString())).as("PATCH offset").isEqualTo(serverOffset);
            }
        }
        return resumedAt;
    }

    private static Map<String, Object> options(String user, Path file, int targetPort) {
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("endpoint", "http://127.0.0.1:" + targetPort + "/api/v1/tus/");
        options.put("token", ISSUER.user(user));
        options.put("file", file.toAbsolutePath().toString());
        options.put("metadata", Map.of("filename", file.getFileName().toString(), "filetype", "text/plain"));
        options.put("retryDelays", RETRY_DELAYS);
        return options;
    }

    private static String storedSha256(String key) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (InputStream in = ingest.bean(S3AsyncClient.class).getObject(r -> r.bucket(BUCKET).key(key),
                AsyncResponseTransformer.toBlockingInputStream()).get()) {
            byte[] buffer = new byte[1 << 20];
            for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                digest.update(buffer, 0, read);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** Writes {@code size} bytes of numbered text lines, none alike, and returns their SHA-256. */
    private static String writeText(Path file, long size) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        byte[] line = "000000000000 the quick brown fox jumps over the lazy dog 0000000000000000\n"
                .getBytes(StandardCharsets.US_ASCII);
        byte[] hex = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
            long written = 0;
            for (long number = 0; written < size; number++) {
                long decimal = number;
                for (int i = 11; i >= 0; i--, decimal /= 10) {
                    line[i] = (byte) ('0' + decimal % 10);
                }
                long mixed = number * 0x9E3779B97F4A7C15L;
                for (int i = line.length - 2; i >= line.length - 17; i--, mixed >>>= 4) {
                    line[i] = hex[(int) (mixed & 0xf)];
                }
                int count = (int) Math.min(line.length, size - written);
                out.write(line, 0, count);
                digest.update(line, 0, count);
                written += count;
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
