package dev.spool.processor.extraction;

import dev.spool.schemas.event.ErrorCode;

/** The extractor declined a document for a reason it names itself (unsupported type, too much text). */
public final class ExtractionRefusedException extends Exception {

    private static final long serialVersionUID = 1L;

    private final ErrorCode code;

    public ExtractionRefusedException(ErrorCode code, String message) {
        super(message);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }
}
