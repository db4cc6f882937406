package dev.spool.ingest.operations;

import dev.spool.ingest.auth.Caller;
import dev.spool.ingest.problem.ProblemCode;
import dev.spool.ingest.problem.SpoolProblem;
import dev.spool.ingest.servicelevel.ServiceLevels;
import dev.spool.schemas.servicelevel.ServiceLevel;
import dev.spool.schemas.servicelevel.ServiceLevelSetting;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * The service level: set and read by operators at {@code /api/v1/admin/service-level} (role {@code admin}), and
 * shown to everyone, without a token, at {@code /api/v1/service-level} for the web page's banner (level, message and
 * since; not who set it).
 */
@RestController
public class ServiceLevelController {

    static final int MAX_MESSAGE = 500;
    static final long MAX_RETRY_AFTER_SECONDS = 86_400;
    private static final String FOR_OPERATORS = "The service level is set by operators; ask for the admin role.";

    private final ServiceLevels levels;

    public ServiceLevelController(ServiceLevels levels) {
        this.levels = levels;
    }

    /** The body of a change; only {@code level} is required. */
    record Change(String level, String message, Long retryAfterSeconds) {

        ServiceLevel parsedLevel() {
            if (level == null || level.isBlank()) {
                throw invalid("'level' is required: full, degraded or maintenance.");
            }
            try {
                return ServiceLevel.fromWireName(level);
            } catch (IllegalArgumentException e) {
                throw invalid("'level' must be full, degraded or maintenance, not '" + level.strip() + "'.");
            }
        }

        String parsedMessage() {
            if (message == null || message.isBlank()) {
                return null;
            }
            if (message.strip().length() > MAX_MESSAGE) {
                throw invalid("'message' may have at most " + MAX_MESSAGE + " characters.");
            }
            return message.strip();
        }

        long parsedRetryAfterSeconds() {
            if (retryAfterSeconds == null) {
                return ServiceLevelSetting.DEFAULT_RETRY_AFTER_SECONDS;
            }
            if (retryAfterSeconds < 1 || retryAfterSeconds > MAX_RETRY_AFTER_SECONDS) {
                throw invalid("'retryAfterSeconds' must be between 1 and " + MAX_RETRY_AFTER_SECONDS + ".");
            }
            return retryAfterSeconds;
        }

        private static SpoolProblem invalid(String detail) {
            return new SpoolProblem(ProblemCode.INVALID_SERVICE_LEVEL, detail);
        }
    }

    @PutMapping(path = "/api/v1/admin/service-level", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    Mono<Map<String, Object>> set(@AuthenticationPrincipal Caller caller, @RequestBody Change change) {
        caller.requireAdmin(FOR_OPERATORS);
        return levels.set(change.parsedLevel(), change.parsedMessage(), change.parsedRetryAfterSeconds(),
                caller.userId()).map(ServiceLevelController::forOperators);
    }

    @GetMapping(path = "/api/v1/admin/service-level", produces = MediaType.APPLICATION_JSON_VALUE)
    Map<String, Object> get(@AuthenticationPrincipal Caller caller) {
        caller.requireAdmin(FOR_OPERATORS);
        return forOperators(levels.current());
    }

    /** Public: what the page's banner shows. */
    @GetMapping(path = "/api/v1/service-level", produces = MediaType.APPLICATION_JSON_VALUE)
    Map<String, Object> banner() {
        return forEveryone(levels.current());
    }

    private static Map<String, Object> forEveryone(ServiceLevelSetting setting) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("level", setting.level().wireName());
        body.put("message", setting.message());
        body.put("since", setting.since() == null ? null : setting.since().toString());
        return body;
    }

    private static Map<String, Object> forOperators(ServiceLevelSetting setting) {
        Map<String, Object> body = forEveryone(setting);
        body.put("retryAfterSeconds", setting.retryAfterSeconds());
        body.put("setBy", setting.setBy());
        return body;
    }
}
