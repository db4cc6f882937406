package dev.spool.ingest.deadletter;

import com.mongodb.client.model.Filters;
import dev.spool.ingest.problem.ProblemCode;
import dev.spool.ingest.problem.SpoolProblem;
import dev.spool.schemas.deadletter.DeadLetterStorage;
import dev.spool.schemas.event.Priority;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bson.conversions.Bson;

/**
 * Which dead letters an operator means: each field narrows the selection, {@code null} leaves it open.
 *
 * @param code the error code, e.g. {@code storage_unavailable}
 * @param exceptionClass the exception class, e.g. {@code software.amazon.awssdk.services.s3.model.S3Exception}
 * @param from dead-lettered at or after
 * @param to dead-lettered before
 * @param user the job's owner
 * @param tier {@code high}, {@code normal} or {@code low}
 * @param status {@code dead}, {@code replayed} or {@code purged}
 */
public record DeadLetterFilter(String code, String exceptionClass, Instant from, Instant to, String user, String tier,
        DeadLetterStorage.Status status) {

    /** Parses request values; a bad time, tier or status is a {@code malformed_request}. */
    public static DeadLetterFilter parse(String code, String exceptionClass, String from, String to, String user,
            String tier, String status) {
        return new DeadLetterFilter(blankToNull(code), blankToNull(exceptionClass), instant("from", from),
                instant("to", to), blankToNull(user), tier(tier), status(status));
    }

    /** This filter restricted to entries in {@code wanted}. */
    public DeadLetterFilter withStatus(DeadLetterStorage.Status wanted) {
        return new DeadLetterFilter(code, exceptionClass, from, to, user, tier, wanted);
    }

    Bson toBson() {
        List<Bson> clauses = new ArrayList<>();
        if (code != null) {
            clauses.add(Filters.eq(DeadLetterStorage.ERROR_CODE, code));
        }
        if (exceptionClass != null) {
            clauses.add(Filters.eq(DeadLetterStorage.EXCEPTION_CLASS, exceptionClass));
        }
        if (from != null) {
            clauses.add(Filters.gte(DeadLetterStorage.FAILED_AT, Date.from(from)));
        }
        if (to != null) {
            clauses.add(Filters.lt(DeadLetterStorage.FAILED_AT, Date.from(to)));
        }
        if (user != null) {
            clauses.add(Filters.eq(DeadLetterStorage.OWNER, user));
        }
        if (tier != null) {
            clauses.add(Filters.eq(DeadLetterStorage.TIER, tier));
        }
        if (status != null) {
            clauses.add(Filters.eq(DeadLetterStorage.STATUS, status.wireName()));
        }
        return clauses.isEmpty() ? Filters.empty() : Filters.and(clauses);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    private static Instant instant(String name, String value) {
        if (blankToNull(value) == null) {
            return null;
        }
        try {
            return Instant.parse(value.trim());
        } catch (DateTimeParseException e) {
            throw new SpoolProblem(ProblemCode.MALFORMED_REQUEST, "'" + name + "' must be an ISO-8601 instant such "
                    + "as 2026-11-23T08:00:00Z.");
        }
    }

    private static String tier(String value) {
        if (blankToNull(value) == null) {
            return null;
        }
        try {
            return Priority.fromWireName(value.trim()).wireName();
        } catch (IllegalArgumentException e) {
            throw new SpoolProblem(ProblemCode.MALFORMED_REQUEST, "'tier' must be high, normal or low.");
        }
    }

    private static DeadLetterStorage.Status status(String value) {
        if (blankToNull(value) == null) {
            return null;
        }
        try {
            return DeadLetterStorage.Status.fromWireName(value.trim());
        } catch (IllegalArgumentException e) {
            throw new SpoolProblem(ProblemCode.MALFORMED_REQUEST, "'status' must be dead, replayed or purged.");
        }
    }
}
