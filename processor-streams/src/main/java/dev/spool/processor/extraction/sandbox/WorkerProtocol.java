package dev.spool.processor.extraction.sandbox;

import dev.spool.processor.extraction.ExtractionSummary;
import dev.spool.schemas.envelope.EventJson;
import dev.spool.schemas.event.ErrorCode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The lines a parent and its extraction worker exchange, one JSON object per line: a {@link Request} down; a
 * {@link Reply} with {@code detected} first, then one with {@code summary} or {@code error} up.
 */
final class WorkerProtocol {

    static final JsonMapper JSON = EventJson.mapper();

    private WorkerProtocol() {
    }

    /**
     * Extract {@code document} into {@code text}.
     *
     * @param document path of the document
     * @param declaredType the type ingest detected, a hint for the parser; may be {@code null}
     * @param text path the UTF-8 text is written to
     */
    record Request(String document, String declaredType, String text) {
    }

    /**
     * Why an extraction failed.
     *
     * @param code the job's error code
     * @param message what went wrong
     * @param exceptionClass what was thrown
     */
    record Failure(ErrorCode code, String message, String exceptionClass) {
    }

    /** One line from the worker: {@code ready} once it has started, else exactly one of the other fields. */
    record Reply(boolean ready, String detected, ExtractionSummary summary, Failure error) {

        static Reply started() {
            return new Reply(true, null, null, null);
        }

        static Reply detected(String type) {
            return new Reply(false, type, null, null);
        }

        static Reply done(ExtractionSummary summary) {
            return new Reply(false, null, summary, null);
        }

        static Reply failed(Failure error) {
            return new Reply(false, null, null, error);
        }
    }
}
