package dev.spool.ingest.operations;

import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.isNull;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import dev.spool.ingest.auth.JwtIssuer;
import dev.spool.ingest.problem.ProblemCode;
import dev.spool.ingest.problem.SpoolProblem;
import dev.spool.ingest.servicelevel.ServiceLevels;
import dev.spool.ingest.web.WebSliceTest;
import dev.spool.schemas.servicelevel.ServiceLevel;
import dev.spool.schemas.servicelevel.ServiceLevelSetting;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Mono;

/**
 * The service level's endpoints: operators set and read it, everyone reads the banner's part without a token, and a
 * body that names no level, or a message or wait out of bounds, is 400 {@code invalid_service_level}.
 */
@WebSliceTest(ServiceLevelController.class)
class ServiceLevelControllerTest {

    private static final JwtIssuer ISSUER = new JwtIssuer(JwtIssuer.SLICE_SECRET);
    private static final Instant SINCE = Instant.parse("2026-12-08T13:30:00Z");
    private static final ServiceLevelSetting MAINTENANCE = new ServiceLevelSetting(ServiceLevel.MAINTENANCE,
            "Upgrading until 14:00 UTC.", 600, SINCE, "ops");

    @Autowired
    private WebTestClient client;

    @MockitoBean
    private ServiceLevels levels;

    @Test
    void anOperatorSetsALevelAndReadsWhatIsNowInForceNamingWhoSetIt() {
        when(levels.set(ServiceLevel.MAINTENANCE, "Upgrading until 14:00 UTC.", 600, "ops"))
                .thenReturn(Mono.just(MAINTENANCE));

        client.put().uri("/api/v1/admin/service-level")
                .header(HttpHeaders.AUTHORIZATION, bearer("ops", List.of("admin")))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("level", "maintenance", "message", "  Upgrading until 14:00 UTC. ",
                        "retryAfterSeconds", 600))
                .exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.level").isEqualTo("maintenance")
                .jsonPath("$.message").isEqualTo("Upgrading until 14:00 UTC.")
                .jsonPath("$.retryAfterSeconds").isEqualTo(600)
                .jsonPath("$.since").isEqualTo("2026-12-08T13:30:00Z")
                .jsonPath("$.setBy").isEqualTo("ops");
    }

    @Test
    void aChangeWithoutMessageOrWaitUsesTheDefaultsAndLevelsAreCaseInsensitive() {
        ServiceLevelSetting full = new ServiceLevelSetting(ServiceLevel.FULL, null, 300, SINCE, "ops");
        when(levels.set(eq(ServiceLevel.FULL), isNull(), eq(300L), eq("ops"))).thenReturn(Mono.just(full));

        client.put().uri("/api/v1/admin/service-level")
                .header(HttpHeaders.AUTHORIZATION, bearer("ops", List.of("admin")))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("level", "FULL", "message", " "))
                .exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.level").isEqualTo("full").jsonPath("$.retryAfterSeconds").isEqualTo(300);
    }

    @Test
    void aBodyNamingNoLevelOrOutOfBoundsIsInvalidAndNothingIsSet() {
        for (Map<String, Object> body : List.<Map<String, Object>>of(Map.of(), Map.of("level", "closed"),
                Map.of("level", "degraded", "retryAfterSeconds", 0),
                Map.of("level", "degraded", "retryAfterSeconds", 86_401),
                Map.of("level", "maintenance", "message", "x".repeat(501)))) {
            client.put().uri("/api/v1/admin/service-level")
                    .header(HttpHeaders.AUTHORIZATION, bearer("ops", List.of("admin")))
                    .contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(body)
                    .exchange()
                    .expectStatus().isBadRequest()
                    .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody()
                    .jsonPath("$.code").isEqualTo("invalid_service_level")
                    .jsonPath("$.instance").isEqualTo("/api/v1/admin/service-level");
        }
        verifyNoInteractions(levels);
    }

    @Test
    void aBodyThatIsNoJsonIsAMalformedRequest() {
        client.put().uri("/api/v1/admin/service-level")
                .header(HttpHeaders.AUTHORIZATION, bearer("ops", List.of("admin")))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{level: maintenance")
                .exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.code").isEqualTo("malformed_request");
        verifyNoInteractions(levels);
    }

    @Test
    void aUserWithoutTheAdminRoleNeitherSetsNorReadsTheOperatorsView() {
        client.put().uri("/api/v1/admin/service-level")
                .header(HttpHeaders.AUTHORIZATION, bearer("alice", List.of()))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("level", "maintenance"))
                .exchange()
                .expectStatus().isForbidden()
                .expectBody().jsonPath("$.code").isEqualTo("forbidden");
        client.get().uri("/api/v1/admin/service-level")
                .header(HttpHeaders.AUTHORIZATION, bearer("alice", List.of()))
                .exchange()
                .expectStatus().isForbidden();
        verifyNoInteractions(levels);
    }

    @Test
    void kafkaNotConfirmingIs503WithRetryAfter() {
        when(levels.set(any(), any(), anyLong(), any()))
                .thenReturn(Mono.error(new SpoolProblem(ProblemCode.SERVICE_LEVEL_UNAVAILABLE)));

        client.put().uri("/api/v1/admin/service-level")
                .header(HttpHeaders.AUTHORIZATION, bearer("ops", List.of("admin")))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("level", "degraded"))
                .exchange()
                .expectStatus().isEqualTo(503)
                .expectHeader().valueEquals(HttpHeaders.RETRY_AFTER, "10")
                .expectBody().jsonPath("$.code").isEqualTo("service_level_unavailable");
    }

    @Test
    void everyoneReadsTheBannersPartWithoutATokenAndOperatorsReadAllOfIt() {
        when(levels.current()).thenReturn(MAINTENANCE);

        client.get().uri("/api/v1/service-level")
                .exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.level").isEqualTo("maintenance")
                .jsonPath("$.message").isEqualTo("Upgrading until 14:00 UTC.")
                .jsonPath("$.since").isEqualTo("2026-12-08T13:30:00Z")
                .jsonPath("$.setBy").doesNotExist()
                .jsonPath("$.retryAfterSeconds").doesNotExist();
        client.get().uri("/api/v1/admin/service-level")
                .header(HttpHeaders.AUTHORIZATION, bearer("ops", List.of("admin")))
                .exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.setBy").isEqualTo("ops").jsonPath("$.retryAfterSeconds").isEqualTo(600);
    }

    private static String bearer(String user, List<String> roles) {
        return "Bearer " + ISSUER.token(user, "standard", roles);
    }
}
