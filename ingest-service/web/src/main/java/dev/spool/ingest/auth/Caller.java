package dev.spool.ingest.auth;

import dev.spool.ingest.problem.ProblemCode;
import dev.spool.ingest.problem.SpoolProblem;
import dev.spool.schemas.event.Priority;
import java.util.Collection;
import java.util.Locale;
import java.util.Objects;
import org.springframework.security.oauth2.jwt.Jwt;

/**
 * The authenticated user behind a request, as read from the bearer token's claims.
 *
 * @param userId the token's {@code sub}
 * @param tier the processing tier the user is entitled to ({@code tier} claim)
 * @param admin whether the {@code roles} claim holds {@code admin}
 */
public record Caller(String userId, Priority tier, boolean admin) {

    static final String TIER_CLAIM = "tier";
    static final String ROLES_CLAIM = "roles";
    static final String ADMIN_ROLE = "admin";
    private static final String PREMIUM = "premium";

    public Caller {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(tier, "tier");
    }

    /** Reads the caller from a verified token. */
    public static Caller from(Jwt jwt) {
        return new Caller(jwt.getSubject(), tierOf(jwt.getClaim(TIER_CLAIM)), hasAdminRole(jwt.getClaim(ROLES_CLAIM)));
    }

    /**
     * Maps the {@code tier} claim to a priority: {@code premium} is high; {@code standard}, a missing claim and any
     * value this version does not know are normal, so an unexpected claim never grants more than the default.
     */
    public static Priority tierOf(Object claim) {
        return claim instanceof String value && PREMIUM.equals(value.trim().toLowerCase(Locale.ROOT))
                ? Priority.HIGH
                : Priority.NORMAL;
    }

    static boolean hasAdminRole(Object claim) {
        if (claim instanceof Collection<?> roles) {
            return roles.stream().anyMatch(role -> ADMIN_ROLE.equals(role));
        }
        return ADMIN_ROLE.equals(claim);
    }

    /**
     * Refuses a caller without the {@code admin} role, as every operators' endpoint does before it reads anything.
     *
     * @param detail what the refusal says, naming what is for operators
     * @throws SpoolProblem {@code forbidden} unless this caller is an administrator
     */
    public void requireAdmin(String detail) {
        if (!admin) {
            throw new SpoolProblem(ProblemCode.FORBIDDEN, detail);
        }
    }

    /** Whether this caller may read a job uploaded by {@code ownerId}: its owner, or an administrator. */
    public boolean mayRead(String ownerId) {
        return admin || userId.equals(ownerId);
    }
}
