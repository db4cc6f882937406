package dev.spool.ingest.deadletter;

import dev.spool.ingest.auth.Caller;
import dev.spool.ingest.jobs.JobCursor;
import dev.spool.ingest.problem.ProblemCode;
import dev.spool.ingest.problem.SpoolProblem;
import dev.spool.schemas.deadletter.DeadLetter;
import dev.spool.schemas.deadletter.DeadLetterStorage;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * {@code /api/v1/admin/dlq} (role {@code admin}): the dead letters, listed from the dead-letter index that
 * status-projection keeps from {@code spool.jobs.dlq}, and replayed or purged by ids or by filter, with a dry run.
 */
@RestController
public class DeadLetterController {

    static final int DEFAULT_PAGE = 20;
    static final int MAX_PAGE = 100;

    private final DeadLetterQueries index;
    private final DeadLetterAdmin admin;

    public DeadLetterController(DeadLetterQueries index, DeadLetterAdmin admin) {
        this.index = index;
        this.admin = admin;
    }

    /** Selection and options of a replay or purge. */
    record Command(List<String> ids, Filter filter, Boolean dryRun, Boolean force) {

        DeadLetterAdmin.Selection selection() {
            return new DeadLetterAdmin.Selection(ids, filter == null ? null : filter.parse());
        }
    }

    /** The filter fields of a command, as in the listing's query parameters. */
    record Filter(String code, String exceptionClass, String from, String to, String user, String tier) {

        DeadLetterFilter parse() {
            return DeadLetterFilter.parse(code, exceptionClass, from, to, user, tier, null);
        }
    }

    @GetMapping(path = "/api/v1/admin/dlq", produces = MediaType.APPLICATION_JSON_VALUE)
    Mono<Map<String, Object>> list(@AuthenticationPrincipal Caller caller,
            @RequestParam(required = false) String code, @RequestParam(required = false) String exceptionClass,
            @RequestParam(required = false) String from, @RequestParam(required = false) String to,
            @RequestParam(required = false) String user, @RequestParam(required = false) String tier,
            @RequestParam(defaultValue = "dead") String status, @RequestParam(required = false) String cursor,
            @RequestParam(defaultValue = "" + DEFAULT_PAGE) int limit) {
        requireAdmin(caller);
        if (limit < 1 || limit > MAX_PAGE) {
            throw new SpoolProblem(ProblemCode.MALFORMED_REQUEST, "'limit' must be between 1 and " + MAX_PAGE + ".");
        }
        DeadLetterFilter filter = DeadLetterFilter.parse(code, exceptionClass, from, to, user, tier,
                "all".equals(status) ? null : status);
        JobCursor after = cursor == null || cursor.isBlank() ? null : JobCursor.decode(cursor);
        return index.list(filter, after, limit).map(page -> {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("deadLetters", page.entries().stream().map(DeadLetterController::describe).toList());
            body.put("next", page.next() == null ? null : page.next().encode());
            return body;
        });
    }

    @PostMapping(path = "/api/v1/admin/dlq/replay", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    Mono<Map<String, Object>> replay(@AuthenticationPrincipal Caller caller, @RequestBody Command command) {
        requireAdmin(caller);
        boolean dryRun = Boolean.TRUE.equals(command.dryRun());
        return admin.replay(command.selection(), dryRun, Boolean.TRUE.equals(command.force()), caller.userId())
                .map(outcomes -> answer(dryRun, outcomes));
    }

    @PostMapping(path = "/api/v1/admin/dlq/purge", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    Mono<Map<String, Object>> purge(@AuthenticationPrincipal Caller caller, @RequestBody Command command) {
        requireAdmin(caller);
        boolean dryRun = Boolean.TRUE.equals(command.dryRun());
        return admin.purge(command.selection(), dryRun, caller.userId()).map(outcomes -> answer(dryRun, outcomes));
    }

    private static Map<String, Object> answer(boolean dryRun, List<DeadLetterAdmin.Outcome> outcomes) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("dryRun", dryRun);
        body.put("outcomes", outcomes);
        body.put("changed", outcomes.stream().filter(outcome -> !"skipped".equals(outcome.action())).count());
        return body;
    }

    private static void requireAdmin(Caller caller) {
        caller.requireAdmin("Dead letters are for operators; ask for the admin role.");
    }

    /** An entry as the API shows it: what failed and what operators did, not the record itself. */
    private static Map<String, Object> describe(DeadLetter entry) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", entry.id());
        view.put(DeadLetterStorage.JOB_ID, entry.jobId());
        view.put(DeadLetterStorage.OWNER, entry.ownerId());
        view.put(DeadLetterStorage.FILENAME, entry.filename());
        view.put(DeadLetterStorage.TIER, entry.tier());
        view.put(DeadLetterStorage.ERROR_CODE, entry.errorCode());
        view.put(DeadLetterStorage.EXCEPTION_CLASS, entry.exceptionClass());
        view.put(DeadLetterStorage.EXCEPTION_MESSAGE, entry.exceptionMessage());
        view.put(DeadLetterStorage.ATTEMPTS, entry.attempts());
        view.put(DeadLetterStorage.FAILED_AT, text(entry.failedAt()));
        view.put(DeadLetterStorage.ORIGINAL_TOPIC, entry.originalTopic());
        view.put(DeadLetterStorage.STATUS, entry.status() == null ? null : entry.status().wireName());
        view.put(DeadLetterStorage.REPLAY_COUNT, entry.replayCount());
        view.put(DeadLetterStorage.LAST_REPLAYED_AT, text(entry.lastReplayedAt()));
        view.put(DeadLetterStorage.LAST_REPLAYED_BY, entry.lastReplayedBy());
        return view;
    }

    private static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
