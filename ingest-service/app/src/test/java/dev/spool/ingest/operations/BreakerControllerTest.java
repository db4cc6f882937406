package dev.spool.ingest.operations;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spool.ingest.auth.JwtIssuer;
import dev.spool.ingest.web.WebSliceTest;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/** Operators see every breaker with its state and counts, and reset one that a failing dependency opened. */
@WebSliceTest(BreakerController.class)
class BreakerControllerTest {

    private static final JwtIssuer ISSUER = new JwtIssuer(JwtIssuer.SLICE_SECRET);

    @Autowired
    private WebTestClient client;

    @Autowired
    private CircuitBreakerRegistry breakers;

    /** Real breakers, as ingest's registry holds them: a small window so that two failures open one. */
    @TestConfiguration
    static class Breakers {

        @Bean
        CircuitBreakerRegistry circuitBreakerRegistry() {
            CircuitBreakerRegistry registry = CircuitBreakerRegistry.of(CircuitBreakerConfig.custom()
                    .slidingWindowSize(2).minimumNumberOfCalls(2).build());
            registry.circuitBreaker("s3");
            registry.circuitBreaker("kafka");
            return registry;
        }
    }

    @BeforeEach
    void closed() {
        breakers.getAllCircuitBreakers().forEach(CircuitBreaker::reset);
    }

    @Test
    void everyBreakerIsListedByNameWithItsStateAndCounts() {
        CircuitBreaker s3 = breakers.circuitBreaker("s3");
        s3.onError(10, TimeUnit.MILLISECONDS, new IOException("S3 said 503"));
        s3.onError(10, TimeUnit.MILLISECONDS, new IOException("S3 said 503"));

        client.get().uri("/api/v1/admin/breakers")
                .header(HttpHeaders.AUTHORIZATION, admin())
                .exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.breakers.length()").isEqualTo(2)
                .jsonPath("$.breakers[0].name").isEqualTo("kafka")
                .jsonPath("$.breakers[0].state").isEqualTo("closed")
                .jsonPath("$.breakers[0].failureRate").isEqualTo(-1.0)
                .jsonPath("$.breakers[1].name").isEqualTo("s3")
                .jsonPath("$.breakers[1].state").isEqualTo("open")
                .jsonPath("$.breakers[1].failureRate").isEqualTo(100.0)
                .jsonPath("$.breakers[1].bufferedCalls").isEqualTo(2)
                .jsonPath("$.breakers[1].failedCalls").isEqualTo(2);
    }

    @Test
    void aResetClosesTheBreakerAndEmptiesItsCounts() {
        breakers.circuitBreaker("s3").transitionToOpenState();

        client.post().uri("/api/v1/admin/breakers/s3/reset")
                .header(HttpHeaders.AUTHORIZATION, admin())
                .exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.name").isEqualTo("s3")
                .jsonPath("$.state").isEqualTo("closed")
                .jsonPath("$.bufferedCalls").isEqualTo(0);
        assertThat(breakers.circuitBreaker("s3").getState()).isEqualTo(CircuitBreaker.State.CLOSED);
    }

    @Test
    void anUnknownNameIs404AndNoBreakerIsMade() {
        client.post().uri("/api/v1/admin/breakers/elasticsearch/reset")
                .header(HttpHeaders.AUTHORIZATION, admin())
                .exchange()
                .expectStatus().isNotFound()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.code").isEqualTo("breaker_not_found");
        assertThat(breakers.find("elasticsearch")).isEmpty();
    }

    @Test
    void aUserWithoutTheAdminRoleNeitherListsNorResets() {
        breakers.circuitBreaker("s3").transitionToOpenState();
        String user = "Bearer " + ISSUER.token("alice", "premium", List.of());

        client.get().uri("/api/v1/admin/breakers").header(HttpHeaders.AUTHORIZATION, user)
                .exchange().expectStatus().isForbidden();
        client.post().uri("/api/v1/admin/breakers/s3/reset").header(HttpHeaders.AUTHORIZATION, user)
                .exchange().expectStatus().isForbidden().expectBody().jsonPath("$.code").isEqualTo("forbidden");
        assertThat(breakers.circuitBreaker("s3").getState()).isEqualTo(CircuitBreaker.State.OPEN);
    }

    private static String admin() {
        return "Bearer " + ISSUER.token("ops", "standard", List.of("admin"));
    }
}
