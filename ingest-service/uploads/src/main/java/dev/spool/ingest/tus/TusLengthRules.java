package dev.spool.ingest.tus;

import dev.spool.ingest.problem.ProblemCode;
import dev.spool.ingest.problem.SpoolProblem;
import dev.spool.ingest.upload.UploadLimits;

/** What a resumable upload's length and offsets may be, and the refusal when they are not. */
final class TusLengthRules {

    private final long maxSize;

    TusLengthRules(long maxSize) {
        this.maxSize = maxSize;
    }

    /** The largest upload, as announced in {@code Tus-Max-Size}. */
    long maxSize() {
        return maxSize;
    }

    /** Refuses a length that is empty, shorter than what already arrived, or over the limit. */
    void checkLength(long length, long offset) {
        if (length == 0) {
            throw new SpoolProblem(ProblemCode.EMPTY_FILE);
        }
        if (length < 0 || length < offset) {
            throw new SpoolProblem(ProblemCode.INVALID_UPLOAD_LENGTH);
        }
        if (length > maxSize) {
            throw new SpoolProblem(ProblemCode.FILE_TOO_LARGE, "The file is " + UploadLimits.describe(length)
                    + ", larger than the limit of " + UploadLimits.describe(maxSize)
                    + " per resumable upload; split or compress it and upload it again.")
                    .withProperty("limitBytes", maxSize)
                    .withProperty("sizeBytes", length);
        }
    }

    /** A request whose {@code Upload-Offset} is not the upload's, told where to resume. */
    static SpoolProblem offsetMismatch(long offset) {
        return new SpoolProblem(ProblemCode.OFFSET_MISMATCH, "The upload has " + offset + " bytes, so the next "
                + "request must carry Upload-Offset: " + offset + "; ask for the offset with HEAD and resume from there.")
                .withProperty("offset", offset)
                .withHeader(TusHeaders.UPLOAD_OFFSET, Long.toString(offset));
    }
}
