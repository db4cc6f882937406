package dev.spool.ingest.upload;

import dev.spool.ingest.problem.ProblemCode;
import dev.spool.ingest.problem.SpoolProblem;
import dev.spool.schemas.event.Priority;

/**
 * Chooses the tier a job runs in: the caller's own tier unless the caller asks for a lower one. Asking for a
 * higher tier is refused rather than silently downgraded, so that a client never believes it got what it asked.
 */
public final class TierPolicy {

    private TierPolicy() {
    }

    /**
     * The tier for a caller entitled to {@code entitled} who asked for {@code requested} (a wire name such as
     * {@code low}; {@code null} or blank asks for nothing).
     *
     * @throws SpoolProblem {@code invalid_priority} for an unknown name, {@code priority_not_allowed} for a tier
     *     above {@code entitled}
     */
    public static Priority choose(Priority entitled, String requested) {
        if (requested == null || requested.isBlank()) {
            return entitled;
        }
        Priority asked;
        try {
            asked = Priority.fromWireName(requested.strip());
        } catch (IllegalArgumentException e) {
            throw new SpoolProblem(ProblemCode.INVALID_PRIORITY, e);
        }
        if (!asked.isAtMost(entitled)) {
            throw new SpoolProblem(ProblemCode.PRIORITY_NOT_ALLOWED, "Your tier allows priority "
                    + entitled.wireName() + " or lower; ask for that, or leave priority out to use it.");
        }
        return asked;
    }
}
