package dev.spool.ingest.auth;

import java.util.List;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.jwt.Jwt;

/**
 * A verified bearer token whose principal is the {@link Caller}, so that handlers receive the caller with
 * {@code @AuthenticationPrincipal} instead of reading claims themselves.
 */
public final class CallerAuthentication extends AbstractAuthenticationToken {

    /** Authority held by callers with the {@code admin} role. */
    public static final String ADMIN_AUTHORITY = "ROLE_ADMIN";

    private final Caller caller;
    private final Jwt token;

    CallerAuthentication(Caller caller, Jwt token) {
        super(caller.admin() ? List.of(new SimpleGrantedAuthority(ADMIN_AUTHORITY)) : List.of());
        this.caller = caller;
        this.token = token;
        setAuthenticated(true);
    }

    /** Builds the authentication for a token the decoder has verified. */
    public static CallerAuthentication of(Jwt token) {
        return new CallerAuthentication(Caller.from(token), token);
    }

    @Override
    public Caller getPrincipal() {
        return caller;
    }

    @Override
    public Jwt getCredentials() {
        return token;
    }

    @Override
    public String getName() {
        return caller.userId();
    }
}
