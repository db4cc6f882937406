package dev.spool.ingest.storage;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import reactor.core.publisher.Flux;

/** Files as the storage tests stream them: seeded random bytes, cut into network-sized buffers. */
final class StreamedFiles {

    static final int CHUNK = 64 * 1024;

    private StreamedFiles() {
    }

    /** {@code content} as a stream of {@link #CHUNK}-byte buffers, as a request body arrives. */
    static Flux<DataBuffer> chunks(byte[] content) {
        return Flux.range(0, (content.length + CHUNK - 1) / CHUNK).map(index -> {
            int from = index * CHUNK;
            int length = Math.min(CHUNK, content.length - from);
            return DefaultDataBufferFactory.sharedInstance.wrap(Arrays.copyOfRange(content, from, from + length));
        });
    }

    /** {@code size} random bytes, the same for the same size. */
    static byte[] randomBytes(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime provides SHA-256", e);
        }
    }
}
