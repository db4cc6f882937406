package dev.spool.ingest.page;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spool.ingest.TestInfra;
import dev.spool.ingest.auth.JwtIssuer;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.result.method.RequestMappingInfo;
import org.springframework.web.reactive.result.method.annotation.RequestMappingHandlerMapping;
import org.springframework.web.util.pattern.PathPattern;
import org.yaml.snakeyaml.Yaml;

/**
 * The OpenAPI document is served without a token and describes exactly the routes the service maps: a route added
 * without documenting it, or documented after it was removed, fails here.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
class OpenApiDocumentTest {

    private static final String SECRET = JwtIssuer.randomSecret();

    @Autowired
    private WebTestClient client;

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    private RequestMappingHandlerMapping mappings;

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        TestInfra.register(registry, SECRET);
    }

    @Test
    @SuppressWarnings("unchecked")
    void theServedDocumentDescribesEveryMappedRouteAndNoOther() {
        byte[] body = client.get().uri(OpenApiController.PATH).exchange()
                .expectStatus().isOk()
                .expectHeader().contentType(OpenApiController.YAML)
                .expectBody().returnResult().getResponseBody();
        Map<String, Object> document = new Yaml().load(new String(body, java.nio.charset.StandardCharsets.UTF_8));
        assertThat(document).containsEntry("openapi", "3.1.0");

        Set<String> documented = new TreeSet<>();
        ((Map<String, Map<String, Object>>) document.get("paths")).forEach((path, operations) -> operations.keySet()
                .stream().filter(key -> !"parameters".equals(key))
                .forEach(method -> documented.add(method.toUpperCase(Locale.ROOT) + " " + path)));

        Set<String> mapped = new TreeSet<>();
        for (RequestMappingInfo info : mappings.getHandlerMethods().keySet()) {
            for (PathPattern pattern : info.getPatternsCondition().getPatterns()) {
                String path = trimmed(pattern.getPatternString());
                info.getMethodsCondition().getMethods().forEach(method -> mapped.add(method.name() + " " + path));
            }
        }

        assertThat(documented).isEqualTo(mapped);
    }

    /** {@code /api/v1/tus/} and {@code /api/v1/tus} are one route, documented once. */
    private static String trimmed(String path) {
        return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }
}
