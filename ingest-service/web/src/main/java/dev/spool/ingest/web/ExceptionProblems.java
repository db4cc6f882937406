package dev.spool.ingest.web;

import dev.spool.ingest.problem.ProblemCode;
import dev.spool.ingest.problem.SpoolProblem;
import org.springframework.core.codec.DecodingException;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.web.ErrorResponse;

/**
 * Classifies exceptions into Spool's problem codes. Spring's own exceptions (unknown route, wrong method, wrong
 * media type, unreadable body) keep their HTTP status and get a stable code; anything unexpected is internal.
 */
final class ExceptionProblems {

    private ExceptionProblems() {
    }

    /** The problem to show for {@code ex}; {@code multipart} tells whether the request body was multipart. */
    static SpoolProblem toProblem(Throwable ex, boolean multipart) {
        if (ex instanceof SpoolProblem problem) {
            return problem;
        }
        if (ex instanceof DataBufferLimitException || hasCause(ex, DataBufferLimitException.class)) {
            return new SpoolProblem(ProblemCode.PAYLOAD_TOO_LARGE, ex);
        }
        if (ex instanceof AuthenticationException) {
            return new SpoolProblem(ProblemCode.UNAUTHENTICATED, ex);
        }
        if (ex instanceof AccessDeniedException) {
            return new SpoolProblem(ProblemCode.FORBIDDEN, ex);
        }
        if (ex instanceof ErrorResponse response) {
            return new SpoolProblem(forStatus(response.getStatusCode().value(), multipart), ex);
        }
        if (ex instanceof DecodingException) {
            return new SpoolProblem(multipart ? ProblemCode.MALFORMED_MULTIPART : ProblemCode.MALFORMED_REQUEST, ex);
        }
        return new SpoolProblem(ProblemCode.INTERNAL, ex);
    }

    private static ProblemCode forStatus(int status, boolean multipart) {
        return switch (status) {
            case 400 -> multipart ? ProblemCode.MALFORMED_MULTIPART : ProblemCode.MALFORMED_REQUEST;
            case 401 -> ProblemCode.UNAUTHENTICATED;
            case 403 -> ProblemCode.FORBIDDEN;
            case 404 -> ProblemCode.NOT_FOUND;
            case 405 -> ProblemCode.METHOD_NOT_ALLOWED;
            case 406 -> ProblemCode.NOT_ACCEPTABLE;
            case 413 -> ProblemCode.PAYLOAD_TOO_LARGE;
            case 415 -> ProblemCode.UNSUPPORTED_MEDIA_TYPE;
            default -> status >= 500 ? ProblemCode.INTERNAL : ProblemCode.MALFORMED_REQUEST;
        };
    }

    private static boolean hasCause(Throwable ex, Class<? extends Throwable> type) {
        for (Throwable cause = ex.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return true;
            }
        }
        return false;
    }
}
