package dev.spool.ingest.servicelevel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spool.ingest.problem.ProblemCode;
import dev.spool.ingest.problem.SpoolProblem;
import dev.spool.schemas.event.Priority;
import dev.spool.schemas.servicelevel.ServiceLevel;
import dev.spool.schemas.servicelevel.ServiceLevelSetting;
import java.time.Instant;
import java.util.Optional;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;

/**
 * What each level refuses, over every level, request kind and tier (or none yet): full nothing, degraded new low-tier
 * uploads only, maintenance every upload request; a refusal carries the operator's wait and message.
 */
class ServiceLevelPolicyProperties {

    private static final Instant SINCE = Instant.parse("2026-12-08T13:30:00Z");

    @Property
    void aRequestIsRefusedExactlyWhenItsLevelSaysSo(@ForAll ServiceLevel level, @ForAll UploadRequest request,
            @ForAll Optional<Priority> tier, @ForAll @LongRange(min = 1, max = 86_400) long retryAfterSeconds) {
        ServiceLevelSetting setting = new ServiceLevelSetting(level, null, retryAfterSeconds, SINCE, "ops");

        Optional<SpoolProblem> refusal = ServiceLevelPolicy.refusal(setting, request, tier.orElse(null));

        boolean refused = switch (level) {
            case FULL -> false;
            case DEGRADED -> request == UploadRequest.NEW && tier.equals(Optional.of(Priority.LOW));
            case MAINTENANCE -> true;
        };
        assertThat(refusal.isPresent()).isEqualTo(refused);
        refusal.ifPresent(problem -> {
            assertThat(problem.code()).isEqualTo(level == ServiceLevel.MAINTENANCE ? ProblemCode.SERVICE_MAINTENANCE
                    : ProblemCode.SERVICE_DEGRADED);
            assertThat(problem.code().status().value()).isEqualTo(503);
            assertThat(problem.retryAfterSeconds()).isEqualTo(retryAfterSeconds);
            assertThat(problem.detail()).isEqualTo(problem.code().defaultDetail());
            assertThat(problem.headers()).containsEntry(HttpHeaders.CONNECTION, "close");
        });
    }

    @Property
    void theOperatorsMessageIsTheDetailOfEveryRefusal(@ForAll UploadRequest request) {
        ServiceLevelSetting setting = new ServiceLevelSetting(ServiceLevel.MAINTENANCE,
                "Upgrading storage until 14:00 UTC.", 600, SINCE, "ops");

        assertThat(ServiceLevelPolicy.refusal(setting, request, Priority.HIGH))
                .hasValueSatisfying(problem -> assertThat(problem.detail()).isEqualTo("Upgrading storage until 14:00 UTC."));
    }

    @Test
    void aBlankMessageIsNoMessage() {
        ServiceLevelSetting setting = new ServiceLevelSetting(ServiceLevel.DEGRADED, "  ", 300, SINCE, "ops");

        assertThat(ServiceLevelPolicy.refusal(setting, UploadRequest.NEW, Priority.LOW)).hasValueSatisfying(problem ->
                assertThat(problem.detail()).startsWith("Spool is running at reduced capacity"));
    }

    @Test
    void theDefaultSentencesSayWhatToDoNext() {
        assertThat(ProblemCode.SERVICE_MAINTENANCE.defaultDetail()).isEqualTo("Spool is under maintenance; uploads are "
                + "paused. Try again after the Retry-After time; your jobs and their status are unaffected.");
        assertThat(ProblemCode.SERVICE_DEGRADED.defaultDetail()).contains("leave priority out");
    }
}
