package dev.spool.ingest.web;

import dev.spool.ingest.problem.ProblemCode;
import dev.spool.ingest.problem.SpoolProblem;
import java.net.URI;
import java.util.List;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.codec.HttpMessageWriter;
import org.springframework.http.codec.ServerCodecConfigurer;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.reactive.result.view.ViewResolver;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * The one place where problems become RFC 9457 {@code application/problem+json} responses: {@code type},
 * {@code title}, {@code status}, {@code detail}, {@code instance}, the stable {@code code}, and {@code Retry-After}
 * with {@code retryAfterSeconds} where waiting helps. Writes through the application's codecs, so the body looks
 * the same whether a handler, the exception handler or the security filters refuse the request.
 */
@Component
public class ProblemRenderer {

    /** Name of the problem property that carries the stable code. */
    public static final String CODE = "code";
    /** Name of the problem property that mirrors {@code Retry-After}. */
    public static final String RETRY_AFTER_SECONDS = "retryAfterSeconds";

    private final ServerResponse.Context context;

    public ProblemRenderer(ServerCodecConfigurer codecs) {
        List<HttpMessageWriter<?>> writers = codecs.getWriters();
        this.context = new ServerResponse.Context() {
            @Override
            public List<HttpMessageWriter<?>> messageWriters() {
                return writers;
            }

            @Override
            public List<ViewResolver> viewResolvers() {
                return List.of();
            }
        };
    }

    /** Writes {@code problem} as the response, adding {@code headers} (such as {@code Allow}). */
    public Mono<Void> render(ServerWebExchange exchange, SpoolProblem problem, HttpHeaders headers) {
        ProblemCode code = problem.code();
        ProblemDetail body = toProblemDetail(problem, exchange.getRequest().getURI().getRawPath());
        return ServerResponse.status(code.status())
                .headers(target -> {
                    target.addAll(headers);
                    problem.headers().forEach(target::set);
                    if (problem.retryAfterSeconds() != null) {
                        target.set(HttpHeaders.RETRY_AFTER, Long.toString(problem.retryAfterSeconds()));
                    }
                })
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .bodyValue(body)
                .flatMap(response -> response.writeTo(exchange, context));
    }

    /** The problem details of {@code problem} for a request to {@code path}. */
    static ProblemDetail toProblemDetail(SpoolProblem problem, String path) {
        ProblemCode code = problem.code();
        ProblemDetail detail = ProblemDetail.forStatusAndDetail(code.status(), problem.detail());
        detail.setType(URI.create(code.type()));
        detail.setTitle(code.title());
        if (path != null && !path.isEmpty()) {
            detail.setInstance(URI.create(path));
        }
        detail.setProperty(CODE, code.code());
        if (problem.retryAfterSeconds() != null) {
            detail.setProperty(RETRY_AFTER_SECONDS, problem.retryAfterSeconds());
        }
        problem.properties().forEach(detail::setProperty);
        return detail;
    }
}
