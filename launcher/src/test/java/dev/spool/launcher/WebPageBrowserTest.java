package dev.spool.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.spool.infra.InfraSettings;
import dev.spool.testsupport.SharedInfra;
import dev.spool.testsupport.fault.FaultInjectingProxy;
import dev.spool.launcher.LauncherSettings.Service;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * The web page in a real browser (Debian's headless Chromium driven by playwright-core on Node) against the whole
 * pipeline on real servers. The scenarios live in {@code src/test/browser/web-page.test.mjs}; this test starts the
 * pipeline with small limits so that they are quick to reach, gives each scenario a user of its own (so that rate
 * limits and job lists do not mix), and lets the dead-letter scenario switch the processor's storage off and on
 * through a small control endpoint; the service-level scenario sets the level with the admin token and leaves it
 * {@code full}. Screenshots and accessibility reports land in {@code target/browser/}.
 */
class WebPageBrowserTest {

    private static final Logger LOG = LoggerFactory.getLogger(WebPageBrowserTest.class);
    private static final String SECRET = "web-page-browser-test-secret-of-32-bytes-or-more";
    private static final Path BROWSER_TESTS = Path.of("src/test/browser");
    private static final Path ARTIFACTS = Path.of("target/browser");
    private static final String CHROMIUM = System.getenv().getOrDefault("SPOOL_CHROMIUM", "/usr/bin/chromium");
    private static final long MAX_FILE_BYTES = 12L * 1024 * 1024;
    private static final int RATE_CAPACITY = 6;

    @TempDir
    static Path dataDir;

    @TempDir
    static Path files;

    private static FaultInjectingProxy s3Proxy;
    private static ServiceContexts services;
    private static HttpServer control;

    @BeforeAll
    static void startPipeline() throws IOException {
        URI s3 = URI.create(SharedInfra.get().s3Endpoint());
        s3Proxy = FaultInjectingProxy.start(s3.getHost(), s3.getPort());
        LauncherSettings settings = new LauncherSettings(dataDir, 0, SECRET, InfraSettings.forTests(),
                EnumSet.allOf(Service.class));
        Map<String, Object> ingest = new LinkedHashMap<>();
        ingest.put("spool.ingest.max-file-size", MAX_FILE_BYTES + "B");
        ingest.put("spool.ingest.tus.max-size", MAX_FILE_BYTES + "B");
        ingest.put("spool.ratelimit.key-prefix", "spool:browser-test:" + UUID.randomUUID() + ":");
        ingest.put("spool.ratelimit.per-user.capacity", RATE_CAPACITY);
        ingest.put("spool.ratelimit.per-user.refill-tokens", 1);
        ingest.put("spool.ratelimit.per-user.refill-period", "4s");
        ingest.put("spool.ratelimit.per-ip.capacity", 100_000);
        ingest.put("spool.ratelimit.per-ip.refill-tokens", 100_000);
        ingest.put("spool.ratelimit.per-ip.refill-period", "1s");
        Map<Service, Map<String, Object>> own = Map.of(
                Service.INGEST, ingest,
                Service.PROCESSOR, Map.of(
                        "spool.storage.endpoint", s3Proxy.endpoint(),
                        "spool.processor.retry.retries", 2,
                        "spool.processor.retry.base", "200ms",
                        "spool.processor.retry.cap", "1s",
                        "spool.processor.storage-breaker.wait-in-open", "1s"));
        services = ServiceContexts.start(SpoolLauncher.serviceProperties(settings, SharedInfra.get()), 0,
                settings.services(), own);
        control = storageControl(s3Proxy);
    }

    @AfterAll
    static void stopPipeline() {
        if (control != null) {
            control.stop(0);
        }
        if (services != null) {
            services.close();
        }
        if (s3Proxy != null) {
            s3Proxy.close();
        }
    }

    @Test
    void thePageUploadsFollowsAndRecoversInHeadlessChromium() throws Exception {
        assertThat(Path.of(CHROMIUM)).as("Debian's chromium (apt-get install chromium; .ci/run installs it)")
                .isExecutable();
        assertThat(BROWSER_TESTS.resolve("node_modules/playwright-core"))
                .as("npm packages of src/test/browser (npm ci there; .ci/run and the build install them)").isDirectory();
        Files.write(files.resolve("quarterly.pdf"),
                SampleDocuments.pdf("Spool extracts the marmalade clause", "Second page of the report"));
        Files.write(files.resolve("minutes.docx"), SampleDocuments.docx("The heron committee met on Tuesday"));
        Files.createDirectories(ARTIFACTS);

        Map<String, Object> setup = new LinkedHashMap<>();
        setup.put("baseUrl", "http://localhost:" + services.ingestPort());
        setup.put("controlUrl", "http://127.0.0.1:" + control.getAddress().getPort());
        setup.put("files", files.toAbsolutePath().toString());
        setup.put("artifacts", ARTIFACTS.toAbsolutePath().toString());
        setup.put("chromium", CHROMIUM);
        setup.put("maxFileBytes", MAX_FILE_BYTES);
        setup.put("rateCapacity", RATE_CAPACITY);
        setup.put("tokens", tokens());

        List<String> output = new ArrayList<>();
        int exit = runNode(JsonMapper.builder().build().writeValueAsString(setup), output);

        assertThat(exit).as("node --test web-page.test.mjs exit code; its output:%n%s", String.join("\n", output))
                .isZero();
        assertThat(output).as("every browser scenario ran and passed")
                .anySatisfy(line -> assertThat(line).matches("^ℹ pass \\d+$"))
                .noneSatisfy(line -> assertThat(line).matches("^ℹ (fail|skipped|todo|cancelled) [1-9]\\d*$"));
        try (var screenshots = Files.list(ARTIFACTS.resolve("screenshots"))) {
            assertThat(screenshots.map(path -> path.getFileName().toString())).contains(
                    "01-sign-in.png", "02-three-completed.png", "03-too-large.png", "04-rate-limited-countdown.png",
                    "05-network-lost.png", "06-network-resumed.png", "07-set-aside.png", "08-dead-letters-dry-run.png",
                    "09-maintenance.png", "10-maintenance-over.png");
        }
    }

    /** A user per scenario, so that each has its own rate-limit bucket and job list. */
    private static Map<String, String> tokens() {
        DemoTokens tokens = new DemoTokens(SECRET);
        Instant now = Instant.now();
        String run = UUID.randomUUID().toString().substring(0, 8);
        Map<String, String> users = new LinkedHashMap<>();
        for (String scenario : List.of("signIn", "three", "oversize", "rateLimited", "network", "deadLetter",
                "serviceLevel", "liveList")) {
            users.put(scenario, tokens.mint("browser-" + scenario + "-" + run, "standard", List.of(), now));
        }
        users.put("admin", tokens.mint("browser-admin-" + run, "premium", List.of("admin"), now));
        return users;
    }

    private static int runNode(String setup, List<String> output) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder("node", "--test", "--test-concurrency=1", "--test-reporter=spec",
                "web-page.test.mjs")
                .directory(BROWSER_TESTS.toFile())
                .redirectErrorStream(true);
        // The test runner starts the file in a process of its own, which inherits the environment but not stdin.
        builder.environment().put("SPOOL_BROWSER_SETUP", setup);
        Process node = builder.start();
        node.getOutputStream().close();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                LOG.info("[browser] {}", line);
                output.add(line.strip());
            }
        }
        if (!node.waitFor(10, TimeUnit.MINUTES)) {
            node.destroyForcibly();
            throw new IllegalStateException("the browser tests did not finish within 10 minutes");
        }
        return node.exitValue();
    }

    /**
     * {@code POST /storage/fail} makes the processor's S3 answer 503 to everything, {@code POST /storage/pass} heals
     * it: the dead-letter scenario needs a job that really exhausts its retries.
     */
    private static HttpServer storageControl(FaultInjectingProxy proxy) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/storage/fail", exchange -> {
            proxy.failAll(503);
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.createContext("/storage/pass", exchange -> {
            proxy.passThrough();
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.start();
        return server;
    }
}
