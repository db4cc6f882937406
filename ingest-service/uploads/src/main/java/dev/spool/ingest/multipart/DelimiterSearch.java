package dev.spool.ingest.multipart;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.springframework.core.io.buffer.DataBuffer;

/**
 * Finds a part's closing delimiter in a body that arrives buffer by buffer, with Boyer-Moore-Horspool: in file
 * bytes it looks at about one byte in every few instead of every one, which is most of the multipart reader's CPU
 * for a large file. The last bytes of earlier buffers are kept, so a delimiter split across buffers is found too.
 * One instance per reader; {@link #reset} at the start of each part's body.
 */
final class DelimiterSearch {

    /** What {@link #find} returns when the delimiter does not end in the buffer. */
    static final int NOT_FOUND = Integer.MIN_VALUE;

    private final byte[] pattern;
    private final int[] shift = new int[256];
    private final byte[] carry;
    private int carryLength;

    DelimiterSearch(byte[] pattern) {
        this.pattern = pattern.clone();
        this.carry = new byte[pattern.length - 1];
        Arrays.fill(shift, pattern.length);
        for (int i = 0; i < pattern.length - 1; i++) {
            shift[pattern[i] & 0xff] = pattern.length - 1 - i;
        }
    }

    /** Forgets the bytes before: the next buffer is the first of a body. */
    void reset() {
        carryLength = 0;
    }

    /**
     * Where the first delimiter that ends in {@code buffer}'s readable bytes starts, relative to its read position:
     * negative when it began in earlier buffers, {@link #NOT_FOUND} when there is none. Reads nothing off
     * {@code buffer}.
     */
    int find(DataBuffer buffer) {
        ByteBuffer bytes = readable(buffer);
        int base = bytes.position();
        int length = bytes.remaining();
        int total = carryLength + length;
        int last = pattern.length - 1;
        for (int i = last; i < total; i += shift[at(bytes, base, i) & 0xff]) {
            int j = last;
            int k = i;
            while (j >= 0 && at(bytes, base, k) == pattern[j]) {
                j--;
                k--;
            }
            if (j < 0) {
                int start = k + 1 - carryLength;
                carryLength = 0;
                return start;
            }
        }
        keepTail(bytes, base, length);
        return NOT_FOUND;
    }

    private byte at(ByteBuffer bytes, int base, int index) {
        return index < carryLength ? carry[index] : bytes.get(base + index - carryLength);
    }

    /** Keeps the last bytes seen, as many as a delimiter could still need from them. */
    private void keepTail(ByteBuffer bytes, int base, int length) {
        int keep = carry.length;
        if (length >= keep) {
            bytes.get(base + length - keep, carry, 0, keep);
            carryLength = keep;
            return;
        }
        int fromCarry = Math.min(carryLength, keep - length);
        System.arraycopy(carry, carryLength - fromCarry, carry, 0, fromCarry);
        bytes.get(base, carry, fromCarry, length);
        carryLength = fromCarry + length;
    }

    /** The readable bytes as one buffer: a view when they are one piece of memory (always, from Netty), else a copy. */
    private static ByteBuffer readable(DataBuffer buffer) {
        try (DataBuffer.ByteBufferIterator pieces = buffer.readableByteBuffers()) {
            ByteBuffer first = pieces.hasNext() ? pieces.next() : ByteBuffer.allocate(0);
            if (!pieces.hasNext()) {
                return first;
            }
            ByteBuffer joined = ByteBuffer.allocate(buffer.readableByteCount());
            joined.put(first);
            pieces.forEachRemaining(joined::put);
            return joined.flip();
        }
    }
}
