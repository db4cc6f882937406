package dev.spool.ingest.tus;

import dev.spool.ingest.problem.ProblemCode;
import dev.spool.ingest.problem.SpoolProblem;
import java.util.Locale;
import java.util.Set;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * The protocol frame of {@code /api/v1/tus/}: applies {@code X-HTTP-Method-Override} (for clients behind proxies
 * that only pass GET and POST), refuses requests without {@code Tus-Resumable: 1.0.0} with 412 and
 * {@code Tus-Version}, and puts {@code Tus-Resumable} on every answer, problems included. Runs ahead of security and
 * rate limiting, so both see the overridden method.
 */
@Component
@Order(-150)
public class TusProtocolFilter implements WebFilter {

    private static final Set<HttpMethod> OVERRIDABLE = Set.of(HttpMethod.PATCH, HttpMethod.DELETE);

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        String path = exchange.getRequest().getPath().pathWithinApplication().value();
        if (!path.equals(TusController.BASE) && !path.startsWith(TusController.BASE + "/")) {
            return chain.filter(exchange);
        }
        ServerWebExchange effective = withOverride(exchange);
        effective.getResponse().getHeaders().set(TusHeaders.TUS_RESUMABLE, TusHeaders.VERSION);
        ServerHttpRequest request = effective.getRequest();
        if (!HttpMethod.OPTIONS.equals(request.getMethod())
                && !TusHeaders.VERSION.equals(request.getHeaders().getFirst(TusHeaders.TUS_RESUMABLE))) {
            return Mono.error(new SpoolProblem(ProblemCode.TUS_VERSION_UNSUPPORTED)
                    .withHeader(TusHeaders.TUS_VERSION, TusHeaders.VERSION));
        }
        return chain.filter(effective);
    }

    private static ServerWebExchange withOverride(ServerWebExchange exchange) {
        ServerHttpRequest request = exchange.getRequest();
        String override = request.getHeaders().getFirst(TusHeaders.METHOD_OVERRIDE);
        if (override == null || !HttpMethod.POST.equals(request.getMethod())) {
            return exchange;
        }
        HttpMethod method = HttpMethod.valueOf(override.trim().toUpperCase(Locale.ROOT));
        if (!OVERRIDABLE.contains(method)) {
            return exchange;
        }
        return exchange.mutate().request(request.mutate().method(method).build()).build();
    }
}
