package dev.spool.ingest.tus;

import java.util.Arrays;
import org.springframework.core.io.buffer.DataBuffer;

/**
 * The bytes of a resumable upload after its last stored part: at most one part, filled from network buffers and
 * emptied only once the part it forms is stored. The array starts small and grows to a part, so that a small
 * upload does not reserve a part's memory. Not thread-safe: one request writes to it at a time.
 */
final class TailBuffer {

    private static final int INITIAL_CAPACITY = 64 * 1024;

    private final int partSize;
    private byte[] bytes;
    private int size;

    TailBuffer(long partSize) {
        this.partSize = Math.toIntExact(partSize);
        this.bytes = new byte[Math.min(this.partSize, INITIAL_CAPACITY)];
    }

    /** Takes bytes back from the staging object. */
    void restore(byte[] staged) {
        if (staged.length > partSize - size) {
            throw new IllegalStateException("staged bytes exceed a part");
        }
        ensureCapacity(size + staged.length);
        System.arraycopy(staged, 0, bytes, size, staged.length);
        size += staged.length;
    }

    /** Moves as many bytes of {@code chunk} as fit; the rest stay in it. Returns the count moved. */
    int fill(DataBuffer chunk) {
        int count = Math.min(chunk.readableByteCount(), partSize - size);
        ensureCapacity(size + count);
        chunk.read(bytes, size, count);
        size += count;
        return count;
    }

    /** Whether the buffer holds a whole part. */
    boolean isFull() {
        return size == partSize;
    }

    /** Bytes held. */
    int size() {
        return size;
    }

    /** The whole part held, without a copy; valid until {@link #clear()}, which never writes to it. */
    byte[] part() {
        if (!isFull()) {
            throw new IllegalStateException("not a whole part yet");
        }
        return bytes;
    }

    /** The bytes held, as an array of their own that the S3 client may keep for a retry. */
    byte[] copy() {
        return Arrays.copyOf(bytes, size);
    }

    /** Forgets every byte, once they are stored. */
    void clear() {
        bytes = new byte[Math.min(partSize, INITIAL_CAPACITY)];
        size = 0;
    }

    private void ensureCapacity(int needed) {
        if (needed > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.min(partSize, Math.max(needed, bytes.length * 2)));
        }
    }
}
