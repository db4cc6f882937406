package dev.spool.ingest.page;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spool.ingest.TestInfra;
import dev.spool.ingest.auth.JwtIssuer;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The web page and its files are served without a token, under a Content-Security-Policy that lets the page load
 * only its own scripts and talk only to this server; programs find the API's entry points at {@code /api}. What the
 * page does is tested in a real browser by the launcher's {@code WebPageBrowserTest}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
class WebPageTest {

    private static final String SECRET = JwtIssuer.randomSecret();
    private static final MediaType JAVASCRIPT = MediaType.parseMediaType("text/javascript");

    @Autowired
    private WebTestClient client;

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        TestInfra.register(registry, SECRET);
    }

    @Test
    void thePageIsPublicHtmlUnderAStrictContentSecurityPolicy() {
        String page = client.get().uri("/").accept(MediaType.TEXT_HTML).exchange()
                .expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.TEXT_HTML)
                .expectHeader().valueEquals("Content-Security-Policy", "default-src 'self'; script-src 'self'; "
                        + "style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; "
                        + "base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
                .expectHeader().valueEquals("X-Content-Type-Options", "nosniff")
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(page).contains("<main id=\"main\"", "/app/main.js", "/vendor/tus-js-client-4.3.1/tus.min.js")
                .doesNotContain("<script>", "style=\"");
    }

    /**
     * Under {@code nosniff} a browser runs a script or applies a style sheet only when its {@code Content-Type} says
     * so: a file served as anything else would leave the page without its code, so the type is part of the answer.
     */
    @Test
    void everyFileThePageLoadsIsServedWithoutATokenAsItsOwnType() {
        Map<String, MediaType> files = Map.of(
                "/app/main.js", JAVASCRIPT,
                "/app/problems.js", JAVASCRIPT,
                "/vendor/tus-js-client-4.3.1/tus.min.js", JAVASCRIPT,
                "/app/spool.css", MediaType.parseMediaType("text/css"),
                "/favicon.svg", MediaType.parseMediaType("image/svg+xml"));
        files.forEach((path, type) -> client.get().uri(path).exchange()
                .expectStatus().isOk()
                .expectHeader().valueEquals("X-Content-Type-Options", "nosniff")
                .expectHeader().contentTypeCompatibleWith(type));
    }

    @Test
    void theApiIndexListsTheEntryPointsForPrograms() {
        client.get().uri("/api").accept(MediaType.APPLICATION_JSON).exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.links.openapi").isEqualTo("/api/openapi.yaml")
                .jsonPath("$.links.uploads").isEqualTo("/api/v1/uploads")
                .jsonPath("$.links.page").isEqualTo("/");
    }

    @Test
    void theApiStillNeedsAToken() {
        client.get().uri("/api/v1/jobs").exchange()
                .expectStatus().isUnauthorized()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
    }
}
