package dev.spool.ingest.ratelimit;

import dev.spool.ingest.auth.CallerAuthentication;
import dev.spool.ingest.problem.ProblemCode;
import dev.spool.ingest.problem.SpoolProblem;
import dev.spool.ingest.servicelevel.UploadRequest;
import java.net.InetSocketAddress;
import java.security.Principal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Applies the upload rate limits to {@code POST /api/v1/uploads} and to the resumable (tus) uploads' {@code POST}
 * and {@code PATCH} requests, before their bodies are read. Ordered after Spring Security's filter chain (order
 * -100), so the caller is known and unauthenticated requests never reach the buckets.
 *
 * <p>Every checked response carries the IETF draft {@code RateLimit-Limit}, {@code RateLimit-Remaining},
 * {@code RateLimit-Reset} and {@code RateLimit-Policy} headers of the bucket closest to running out. A refusal is a
 * {@code rate_limited} problem, rendered with its {@code Retry-After} by the web layer's exception handler.
 */
@Order(0)
public class UploadRateLimitFilter implements WebFilter {

    static final String LIMIT = "RateLimit-Limit";
    static final String REMAINING = "RateLimit-Remaining";
    static final String RESET = "RateLimit-Reset";
    static final String POLICY = "RateLimit-Policy";
    /** The RateLimit header fields a checked response carries, for CORS to expose. */
    public static final List<String> RESPONSE_HEADERS = List.of(LIMIT, REMAINING, RESET, POLICY);
    static final String FORWARDED_FOR = "X-Forwarded-For";

    private static final String UNKNOWN_ADDRESS = "unknown";

    private final RateLimiter limiter;
    private final boolean trustForwardedFor;

    public UploadRateLimitFilter(RateLimiter limiter, boolean trustForwardedFor) {
        this.limiter = limiter;
        this.trustForwardedFor = trustForwardedFor;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        if (!isLimited(exchange.getRequest())) {
            return chain.filter(exchange);
        }
        String clientIp = clientIp(exchange.getRequest(), trustForwardedFor);
        return exchange.getPrincipal()
                .map(principal -> Optional.of(userId(principal)))
                .defaultIfEmpty(Optional.empty())
                .flatMap(userId -> limiter.check(userId.orElse(null), clientIp))
                .flatMap(decision -> {
                    if (!decision.checked()) {
                        return chain.filter(exchange);
                    }
                    if (!decision.allowed()) {
                        return Mono.error(refusal(decision));
                    }
                    headers(decision).forEach(exchange.getResponse().getHeaders()::set);
                    return chain.filter(exchange);
                });
    }

    /** Whether {@code request} starts an upload or sends upload bytes. */
    static boolean isLimited(ServerHttpRequest request) {
        return UploadRequest.of(request.getMethod(), request.getPath().pathWithinApplication().value()) != null;
    }

    /**
     * The client's address: the peer of the connection, or with {@code trustForwardedFor} the last entry of
     * {@code X-Forwarded-For}, the one the proxy in front of the service appended; earlier entries come from the
     * client and could be forged.
     */
    static String clientIp(ServerHttpRequest request, boolean trustForwardedFor) {
        if (trustForwardedFor) {
            List<String> forwarded = request.getHeaders().getValuesAsList(FORWARDED_FOR);
            if (!forwarded.isEmpty() && !forwarded.get(forwarded.size() - 1).isBlank()) {
                return forwarded.get(forwarded.size() - 1).trim();
            }
        }
        InetSocketAddress remote = request.getRemoteAddress();
        if (remote == null) {
            return UNKNOWN_ADDRESS;
        }
        return remote.getAddress() != null ? remote.getAddress().getHostAddress() : remote.getHostString();
    }

    /** The RateLimit header fields of a checked decision. */
    static Map<String, String> headers(RateDecision decision) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(LIMIT, Long.toString(decision.limit()));
        headers.put(REMAINING, Long.toString(decision.remaining()));
        headers.put(RESET, Long.toString(decision.resetSeconds()));
        headers.put(POLICY, decision.policy());
        return headers;
    }

    private static SpoolProblem refusal(RateDecision decision) {
        // As for too_busy: the body will not be read, so the connection closes instead of draining it.
        SpoolProblem problem = new SpoolProblem(ProblemCode.RATE_LIMITED).withRetryAfter(decision.retryAfter())
                .withHeader(HttpHeaders.CONNECTION, "close");
        for (Map.Entry<String, String> header : headers(decision).entrySet()) {
            problem = problem.withHeader(header.getKey(), header.getValue());
        }
        return problem;
    }

    private static String userId(Principal principal) {
        return principal instanceof CallerAuthentication caller ? caller.getPrincipal().userId() : principal.getName();
    }
}
