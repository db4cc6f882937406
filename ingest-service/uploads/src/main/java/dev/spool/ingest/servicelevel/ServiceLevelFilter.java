package dev.spool.ingest.servicelevel;

import org.springframework.core.annotation.Order;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Refuses upload requests that the service level does not allow before their bodies are read: in
 * {@code maintenance} every multipart upload, tus creation and tus {@code PATCH}. The low tier of {@code degraded}
 * is known only where the tier is chosen, so the upload services ask {@link ServiceLevels#check} again there. After
 * Spring Security (order -100), so that an unauthenticated request is still a 401; before the rate limits (order 0),
 * so that a refused upload spends no tokens.
 */
@Order(-1)
public class ServiceLevelFilter implements WebFilter {

    private final ServiceLevels levels;

    public ServiceLevelFilter(ServiceLevels levels) {
        this.levels = levels;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        ServerHttpRequest request = exchange.getRequest();
        UploadRequest kind = UploadRequest.of(request.getMethod(), request.getPath().pathWithinApplication().value());
        if (kind == null) {
            return chain.filter(exchange);
        }
        return levels.refusal(kind, null).<Mono<Void>>map(Mono::error).orElseGet(() -> chain.filter(exchange));
    }
}
