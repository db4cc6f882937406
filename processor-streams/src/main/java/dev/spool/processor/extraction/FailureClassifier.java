package dev.spool.processor.extraction;

import dev.spool.schemas.event.ErrorCode;
import dev.spool.schemas.event.JobError;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import java.io.IOException;
import org.apache.tika.exception.EncryptedDocumentException;
import org.apache.tika.exception.TikaException;
import org.xml.sax.SAXException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/** Maps whatever a job threw to the stable error code clients see, and says whether a retry may help. */
public final class FailureClassifier {

    private FailureClassifier() {
    }

    public static JobError classify(Throwable failure) {
        ErrorCode code = code(failure);
        return new JobError(code, message(failure), code == ErrorCode.STORAGE_UNAVAILABLE);
    }

    static ErrorCode code(Throwable failure) {
        // Only the outermost exception decides: the extractor wraps its own I/O, so an IOException at the top is storage.
        if (failure instanceof ExtractionRefusedException refused) {
            return refused.code();
        }
        if (failure instanceof EncryptedDocumentException) {
            return ErrorCode.ENCRYPTED;
        }
        if (failure instanceof TikaException || failure instanceof SAXException) {
            return ErrorCode.CORRUPT;
        }
        if (failure instanceof NoSuchKeyException) {
            return ErrorCode.OBJECT_MISSING;
        }
        if (failure instanceof SdkException || failure instanceof IOException
                || failure instanceof CallNotPermittedException) {
            return ErrorCode.STORAGE_UNAVAILABLE;
        }
        return ErrorCode.INTERNAL;
    }

    private static String message(Throwable failure) {
        String message = failure.getMessage();
        return failure.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
