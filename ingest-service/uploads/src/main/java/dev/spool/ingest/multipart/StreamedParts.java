package dev.spool.ingest.multipart;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.codec.multipart.FilePartEvent;
import org.springframework.http.codec.multipart.FormPartEvent;
import org.springframework.http.codec.multipart.PartEvent;

/** The part events {@link MultipartFraming} emits, as Spring's {@code PartEvent} types. */
final class StreamedParts {

    private StreamedParts() {
    }

    /** A slice of a file part's body. */
    record FileBody(HttpHeaders headers, DataBuffer content, boolean isLast) implements FilePartEvent {
    }

    /** A slice of the body of a part that is neither a file nor a form field. */
    record Body(HttpHeaders headers, DataBuffer content, boolean isLast) implements PartEvent {
    }

    /** A whole form field. */
    record Field(HttpHeaders headers, String value) implements FormPartEvent {

        @Override
        public DataBuffer content() {
            return DefaultDataBufferFactory.sharedInstance.allocateBuffer(0);
        }

        @Override
        public boolean isLast() {
            return true;
        }
    }
}
