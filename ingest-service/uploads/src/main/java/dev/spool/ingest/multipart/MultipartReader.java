package dev.spool.ingest.multipart;

import org.springframework.core.codec.DecodingException;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.MediaType;
import org.springframework.http.codec.multipart.PartEvent;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Reads a {@code multipart/form-data} request body as {@link PartEvent}s, straight from the network buffers.
 *
 * <p>Spool does not use Spring's {@code PartEventHttpMessageReader} for uploads: it turns each body buffer into an
 * event with {@code concatMap(body -> Mono.just(event))}, and reactor-core's {@code concatMap} with a scalar inner
 * can emit one element twice and lose the next, or lose one outright, when the downstream requests from another
 * thread than the one emitting (reactor/reactor-core#4406). Ingest's downstream requests from the S3 client's
 * threads while Netty emits on its event loop, and 1 GiB uploads were stored 8 KiB short that way (see
 * docs/upload-integrity.md). Here each network buffer becomes its events in {@code concatMapIterable}, whose queue
 * and drain loop serialise emission and requests.
 */
public final class MultipartReader {

    /** As Spring's default for a part's headers. */
    public static final int MAX_HEADERS_SIZE = 10 * 1024;
    /** As Spring's default for a form field held in memory. */
    public static final int MAX_FIELD_SIZE = 256 * 1024;

    private MultipartReader() {
    }

    /**
     * The parts of {@code body}, framed by the boundary in {@code contentType}. Every event's content must be
     * released by the subscriber; what is held back when the subscriber cancels is released here. Fails with a
     * {@link DecodingException} on a body that is not well-formed multipart, and with a
     * {@code DataBufferLimitException} on headers or a form field over their limits.
     */
    public static Flux<PartEvent> read(MediaType contentType, Flux<DataBuffer> body) {
        return Flux.defer(() -> {
            String boundary = contentType == null ? null : contentType.getParameter("boundary");
            if (boundary == null || boundary.isEmpty()) {
                return Flux.error(new DecodingException("The multipart/form-data content type has no boundary"));
            }
            MultipartFraming framing = new MultipartFraming(unquote(boundary), MAX_HEADERS_SIZE, MAX_FIELD_SIZE);
            // Prefetch 1: at most one network buffer waits here while its events are handed on.
            return body.concatMapIterable(framing::feed, 1)
                    .concatWith(Mono.fromRunnable(framing::end))
                    .doOnDiscard(PartEvent.class, event -> DataBufferUtils.release(event.content()))
                    .doOnDiscard(DataBuffer.class, DataBufferUtils::release)
                    .doFinally(signal -> framing.dispose());
        });
    }

    private static String unquote(String boundary) {
        return boundary.length() > 1 && boundary.startsWith("\"") && boundary.endsWith("\"")
                ? boundary.substring(1, boundary.length() - 1)
                : boundary;
    }
}
