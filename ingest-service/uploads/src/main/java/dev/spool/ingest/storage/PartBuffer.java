package dev.spool.ingest.storage;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;

/**
 * Cuts a stream of network buffers into multipart-upload parts of a fixed size, counting bytes on the way (the
 * SHA-256 is taken as the buffers arrive, by {@link ReceivedBytes}). Each part is a plain byte array, so that the S3
 * client can resend it on a retry. The buffer starts small and grows up to one part, so that small uploads do not
 * reserve a whole part's memory.
 */
final class PartBuffer {

    private static final int INITIAL_CAPACITY = 64 * 1024;

    private final int partSize;
    private byte[] current;
    private int position;
    private long size;

    PartBuffer(int partSize) {
        if (partSize < 1) {
            throw new IllegalArgumentException("partSize must be positive: " + partSize);
        }
        this.partSize = partSize;
        this.current = new byte[Math.min(partSize, INITIAL_CAPACITY)];
    }

    /** Takes in (and releases) {@code chunk}; returns the parts it completed, usually none. */
    List<byte[]> append(DataBuffer chunk) {
        try {
            List<byte[]> full = new ArrayList<>(1);
            while (chunk.readableByteCount() > 0) {
                int count = Math.min(chunk.readableByteCount(), partSize - position);
                ensureCapacity(position + count);
                chunk.read(current, position, count);
                position += count;
                size += count;
                if (position == partSize) {
                    full.add(current);
                    current = new byte[Math.min(partSize, INITIAL_CAPACITY)];
                    position = 0;
                }
            }
            return full;
        } finally {
            DataBufferUtils.release(chunk);
        }
    }

    /** The bytes after the last full part; empty when the stream ended on a part boundary. */
    byte[] remainder() {
        return Arrays.copyOf(current, position);
    }

    /** Bytes taken in so far. */
    long size() {
        return size;
    }

    private void ensureCapacity(int needed) {
        if (needed > current.length) {
            current = Arrays.copyOf(current, Math.min(partSize, Math.max(needed, current.length * 2)));
        }
    }
}
