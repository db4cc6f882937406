package dev.spool.ingest.servicelevel;

import dev.spool.ingest.problem.ProblemCode;
import dev.spool.ingest.problem.SpoolProblem;
import dev.spool.schemas.event.Priority;
import dev.spool.schemas.servicelevel.ServiceLevelSetting;
import java.time.Duration;
import java.util.Optional;
import org.springframework.http.HttpHeaders;

/**
 * What a service level refuses: {@code maintenance} every upload request, new ones and appends alike;
 * {@code degraded} new uploads in the low tier only; {@code full} nothing. A refusal says what the operator wrote,
 * or else the code's default sentence, and carries the operator's {@code Retry-After}.
 */
public final class ServiceLevelPolicy {

    private ServiceLevelPolicy() {
    }

    /**
     * The refusal of {@code request} under {@code setting}.
     *
     * @param tier the job's tier when it is known, or {@code null} before it is chosen (a {@code degraded} level then
     *     lets the request on, and is asked again once the tier is known)
     * @return the problem to answer, or empty when the request may go on
     */
    public static Optional<SpoolProblem> refusal(ServiceLevelSetting setting, UploadRequest request, Priority tier) {
        ProblemCode code = switch (setting.level()) {
            case FULL -> null;
            case DEGRADED -> request == UploadRequest.NEW && tier == Priority.LOW ? ProblemCode.SERVICE_DEGRADED : null;
            case MAINTENANCE -> ProblemCode.SERVICE_MAINTENANCE;
        };
        if (code == null) {
            return Optional.empty();
        }
        String detail = setting.message() == null || setting.message().isBlank() ? code.defaultDetail()
                : setting.message();
        // As for too_busy: the body will not be read, so the connection closes instead of draining it.
        return Optional.of(new SpoolProblem(code, detail)
                .withRetryAfter(Duration.ofSeconds(setting.retryAfterSeconds()))
                .withHeader(HttpHeaders.CONNECTION, "close"));
    }
}
