package dev.spool.ingest.page;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The page's own logic, run on Node without a browser: the words chosen for each problem code, the event-stream
 * parser and the token handling ({@code src/test/node/page/*.test.mjs}). And the tus client the page loads is the
 * maintained tus-js-client, byte for byte the release the Node tests install.
 */
class WebPageScriptsTest {

    private static final Path NODE_TESTS = Path.of("src/test/node");

    @Test
    void thePagesModulesPassTheirNodeTests() throws IOException, InterruptedException {
        Process node = new ProcessBuilder("node", "--test", "--test-reporter=tap", "page/")
                .directory(NODE_TESTS.toFile())
                .redirectErrorStream(true)
                .start();
        node.getOutputStream().close();
        String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(node.waitFor(2, TimeUnit.MINUTES)).isTrue();

        assertThat(node.exitValue()).as(output).isZero();
        List<String> summary = output.lines().filter(line -> line.startsWith("# ")).toList();
        assertThat(summary).as(output).contains("# fail 0", "# skipped 0", "# todo 0", "# cancelled 0")
                .anySatisfy(line -> assertThat(line).matches("# pass [1-9]\\d*"));
    }

    @Test
    void theVendoredTusClientIsTheReleasedOne() throws IOException {
        Path released = NODE_TESTS.resolve("node_modules/tus-js-client");
        String version = new String(Files.readAllBytes(released.resolve("package.json")), StandardCharsets.UTF_8);
        assertThat(version).contains("\"version\": \"4.3.1\"");
        Path served = Path.of("src/main/resources/static/vendor/tus-js-client-4.3.1");

        assertThat(served.resolve("tus.min.js")).hasSameBinaryContentAs(released.resolve("dist/tus.min.js"));
        assertThat(served.resolve("LICENSE")).hasSameBinaryContentAs(released.resolve("LICENSE"));
    }
}
