package dev.spool.ingest.web;

import dev.spool.ingest.problem.ProblemCode;
import dev.spool.ingest.problem.SpoolProblem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponse;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebExceptionHandler;
import reactor.core.Exceptions;
import reactor.core.publisher.Mono;

/**
 * Turns every exception that escapes a handler or the framework (unknown routes, wrong methods or media types,
 * unreadable multipart bodies) into problem details. Ordered ahead of Boot's error handler, which would answer
 * with its own JSON shape.
 */
@Component
@Order(-2)
public class ProblemExceptionHandler implements WebExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(ProblemExceptionHandler.class);

    private final ProblemRenderer renderer;

    public ProblemExceptionHandler(ProblemRenderer renderer) {
        this.renderer = renderer;
    }

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, Throwable failure) {
        if (exchange.getResponse().isCommitted()) {
            return Mono.error(failure);
        }
        Throwable ex = Exceptions.unwrap(failure);
        SpoolProblem problem = ExceptionProblems.toProblem(ex, isMultipart(exchange));
        log(exchange, problem, ex);
        HttpHeaders headers = ex instanceof ErrorResponse response ? response.getHeaders() : HttpHeaders.EMPTY;
        return renderer.render(exchange, problem, headers);
    }

    private static boolean isMultipart(ServerWebExchange exchange) {
        MediaType type = exchange.getRequest().getHeaders().getContentType();
        return type != null && MediaType.MULTIPART_FORM_DATA.includes(type);
    }

    private static void log(ServerWebExchange exchange, SpoolProblem problem, Throwable ex) {
        String method = exchange.getRequest().getMethod().name();
        String path = exchange.getRequest().getPath().value();
        if (problem.code() == ProblemCode.INTERNAL) {
            LOG.error("{} {} failed", method, path, ex);
        } else if (problem.code().status().is5xxServerError()) {
            LOG.warn("{} {} answered {}: {}", method, path, problem.code().code(), String.valueOf(rootCause(ex)));
        } else {
            LOG.debug("{} {} answered {}", method, path, problem.code().code());
        }
    }

    private static Throwable rootCause(Throwable ex) {
        Throwable cause = ex;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause;
    }
}
