package dev.spool.ingest.security;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import dev.spool.ingest.auth.Caller;
import dev.spool.ingest.auth.JwtIssuer;
import dev.spool.ingest.jobs.JobController;
import dev.spool.ingest.jobs.JobQueries;
import dev.spool.ingest.web.WebSliceTest;
import dev.spool.schemas.event.Priority;
import dev.spool.schemas.view.JobStatus;
import dev.spool.schemas.view.JobView;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Mono;

/**
 * Tokens of an identity provider that signs with RS256 and publishes its keys as a JWKS ({@code spool.auth.jwks-uri}),
 * tested as the HS256 ones are: its token is the caller, with tier and roles from its claims; an expired one, one
 * signed by another key under the same key id, and an HS256 token of the shared secret (which the JWKS replaces) are
 * refused with 401 {@code invalid_token}. The JWKS is served over HTTP, as a provider serves it.
 */
@WebSliceTest(JobController.class)
class JwksTokensTest {

    private static final String JOB_ID = "6f0c9a52-2b1e-4d1f-9a63-7c1f4e2d8b90";
    private static final String KEY_ID = "spool-test-key";
    private static final RSAKey KEY = rsaKey();
    private static final RSAKey IMPOSTOR = rsaKey();
    private static final HttpServer PROVIDER = serve(new JWKSet(KEY.toPublicJWK()));

    @Autowired
    private WebTestClient client;

    @MockitoBean
    private JobQueries queries;

    @DynamicPropertySource
    static void identityProvider(DynamicPropertyRegistry registry) {
        registry.add("spool.auth.jwks-uri",
                () -> "http://127.0.0.1:" + PROVIDER.getAddress().getPort() + "/.well-known/jwks.json");
    }

    @AfterAll
    static void stopProvider() {
        PROVIDER.stop(0);
    }

    @Test
    void theProvidersTokenIsTheCallerWithItsTierAndRoles() {
        when(queries.find(any(), eq(JOB_ID))).thenReturn(Mono.just(queuedView("alice")));

        client.get().uri("/api/v1/jobs/{id}", JOB_ID)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + sign(KEY, "alice", "premium", List.of("admin"),
                        Instant.now().plus(Duration.ofHours(1))))
                .exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.jobId").isEqualTo(JOB_ID)
                .jsonPath("$.status").isEqualTo("queued");
        verify(queries).find(new Caller("alice", Priority.HIGH, true), JOB_ID);
    }

    @Test
    void anExpiredTokenAnotherKeysOrAnHs256OneIs401InvalidToken() {
        Instant inAnHour = Instant.now().plus(Duration.ofHours(1));
        List<String> refused = List.of(
                sign(KEY, "alice", "standard", List.of(), Instant.now().minus(Duration.ofMinutes(10))),
                sign(IMPOSTOR, "alice", "standard", List.of(), inAnHour),
                new JwtIssuer(JwtIssuer.SLICE_SECRET).user("alice"));
        for (String token : refused) {
            client.get().uri("/api/v1/jobs/{id}", JOB_ID)
                    .header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                    .exchange()
                    .expectStatus().isUnauthorized()
                    .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectHeader().valueEquals(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"invalid_token\"")
                    .expectBody().jsonPath("$.code").isEqualTo("unauthenticated");
        }
        verifyNoInteractions(queries);
    }

    private static String sign(RSAKey key, String subject, String tier, List<String> roles, Instant expiresAt) {
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .subject(subject)
                .claim("tier", tier)
                .claim("roles", roles)
                .issueTime(Date.from(expiresAt.minus(Duration.ofHours(1))))
                .expirationTime(Date.from(expiresAt))
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims);
        try {
            jwt.sign(new RSASSASigner(key));
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign a test token", e);
        }
        return jwt.serialize();
    }

    private static RSAKey rsaKey() {
        try {
            return new RSAKeyGenerator(2048).keyID(KEY_ID).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot generate an RSA key", e);
        }
    }

    /** The provider's key set endpoint, public keys only. */
    private static HttpServer serve(JWKSet keys) {
        byte[] body = keys.toString(true).getBytes(StandardCharsets.UTF_8);
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/.well-known/jwks.json", exchange -> {
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            });
            server.start();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serve the JWKS", e);
        }
    }

    private static JobView queuedView(String owner) {
        Instant created = Instant.parse("2026-12-07T10:00:00Z");
        return new JobView(JOB_ID, owner, "notes.txt", 12L, "cd".repeat(32), "text/plain", Priority.HIGH,
                JobStatus.QUEUED, null, 0, 1, false, created, null, null, null, null, null, 1, created);
    }
}
