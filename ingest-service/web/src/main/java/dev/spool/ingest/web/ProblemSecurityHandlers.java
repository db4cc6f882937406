package dev.spool.ingest.web;

import dev.spool.ingest.problem.ProblemCode;
import dev.spool.ingest.problem.SpoolProblem;
import org.springframework.http.HttpHeaders;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.web.server.ServerAuthenticationEntryPoint;
import org.springframework.security.web.server.authorization.ServerAccessDeniedHandler;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Answers the security filters' refusals (no token, a bad token, a forbidden path) with problem details, and the
 * {@code WWW-Authenticate} challenge of RFC 6750 on 401.
 */
@Component
public class ProblemSecurityHandlers implements ServerAuthenticationEntryPoint, ServerAccessDeniedHandler {

    private final ProblemRenderer renderer;

    public ProblemSecurityHandlers(ProblemRenderer renderer) {
        this.renderer = renderer;
    }

    @Override
    public Mono<Void> commence(ServerWebExchange exchange, AuthenticationException ex) {
        boolean tokenSent = exchange.getRequest().getHeaders().containsHeader(HttpHeaders.AUTHORIZATION);
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.WWW_AUTHENTICATE,
                tokenSent || ex instanceof InvalidBearerTokenException ? "Bearer error=\"invalid_token\"" : "Bearer");
        String detail = tokenSent
                ? "The bearer token is invalid or has expired; sign in again and send the new token."
                : ProblemCode.UNAUTHENTICATED.defaultDetail();
        return renderer.render(exchange, new SpoolProblem(ProblemCode.UNAUTHENTICATED, detail), headers);
    }

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, AccessDeniedException denied) {
        return renderer.render(exchange, new SpoolProblem(ProblemCode.FORBIDDEN), HttpHeaders.EMPTY);
    }
}
