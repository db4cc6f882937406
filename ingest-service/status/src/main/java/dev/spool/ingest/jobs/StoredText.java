package dev.spool.ingest.jobs;

import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

/**
 * A job's extracted text as stored: its bytes and their content encoding ({@code gzip}, or {@code null} for plain
 * UTF-8 text as older jobs stored it).
 *
 * @param body the stored bytes
 * @param encoding their content encoding
 */
public record StoredText(Flux<DataBuffer> body, String encoding) {

    private static final int CHUNK = 16 * 1024;
    /** Stored buffers read ahead of the decompressor. */
    private static final int READ_AHEAD = 4;

    /** Whether the stored bytes are gzip-compressed. */
    public boolean gzipped() {
        return "gzip".equalsIgnoreCase(encoding);
    }

    /** The plain text, decompressed as it streams when stored compressed; never held whole in memory. */
    public Flux<DataBuffer> plain() {
        if (!gzipped()) {
            return body;
        }
        return DataBufferUtils.readInputStream(this::decompressing, DefaultDataBufferFactory.sharedInstance, CHUNK)
                .subscribeOn(Schedulers.boundedElastic());
    }

    private InputStream decompressing() throws IOException {
        return new GZIPInputStream(DataBufferUtils.subscriberInputStream(body, READ_AHEAD), CHUNK);
    }
}
