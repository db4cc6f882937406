package dev.spool.ingest.multipart;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import org.springframework.core.codec.DecodingException;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.codec.multipart.PartEvent;

/**
 * The state machine that cuts a {@code multipart/form-data} body (RFC 7578, framed as RFC 2046 says) into part
 * events, one network buffer at a time: {@link #feed} takes a buffer and returns the events it completes, in order.
 * Body bytes are handed on as slices of the buffers that carried them, never copied; bytes that could be the start
 * of the next delimiter are held back until the following buffer tells. A file part is a run of events ending in
 * one whose {@link PartEvent#isLast()} is true; a form field is one event with its whole value.
 *
 * <p>Synchronized, because a cancellation may {@link #dispose} it from another thread while a buffer is fed.
 */
final class MultipartFraming {

    private final byte[] firstDelimiter;
    private final byte[] delimiter;
    private final int maxHeadersSize;
    private final int maxFieldSize;
    private final Deque<DataBuffer> heldBack = new ArrayDeque<>();
    private final DataBufferUtils.Matcher preamble;
    private final DelimiterSearch closing;
    private byte[] header;
    private int headerLength;
    private ByteArrayOutputStream fieldBytes;
    private HttpHeaders headers;
    private PartKind kind;
    private long heldBackBytes;
    private State state = State.PREAMBLE;

    /**
     * @param boundary the {@code boundary} parameter of the request's content type
     * @param maxHeadersSize the most bytes one part's headers may take
     * @param maxFieldSize the most bytes a form field (a part without a file name) may take
     */
    MultipartFraming(String boundary, int maxHeadersSize, int maxFieldSize) {
        byte[] bytes = boundary.getBytes(StandardCharsets.UTF_8);
        this.firstDelimiter = concat(new byte[] {'-', '-'}, bytes);
        this.delimiter = concat(new byte[] {'\r', '\n', '-', '-'}, bytes);
        this.maxHeadersSize = maxHeadersSize;
        this.maxFieldSize = maxFieldSize;
        this.preamble = DataBufferUtils.matcher(firstDelimiter);
        this.closing = new DelimiterSearch(delimiter);
    }

    /** Takes (and in the end releases) {@code buffer}; returns the events it completed, usually zero or one. */
    synchronized List<PartEvent> feed(DataBuffer buffer) {
        List<PartEvent> events = new ArrayList<>(2);
        try {
            while (buffer.readableByteCount() > 0 && state != State.DISPOSED && state != State.EPILOGUE) {
                switch (state) {
                    case PREAMBLE -> skipPreamble(buffer);
                    case HEADERS -> readHeaders(buffer);
                    case BODY -> readBody(buffer, events);
                    default -> throw new IllegalStateException(state.name());
                }
            }
        } catch (RuntimeException e) {
            events.forEach(event -> DataBufferUtils.release(event.content()));
            throw e;
        } finally {
            DataBufferUtils.release(buffer);
        }
        return events;
    }

    /** Called when the body ended: fails unless the close delimiter was read. */
    synchronized void end() {
        switch (state) {
            case EPILOGUE, DISPOSED -> {
            }
            case PREAMBLE -> throw new DecodingException("The body has no multipart boundary \""
                    + new String(firstDelimiter, StandardCharsets.US_ASCII) + "\"");
            case HEADERS -> throw new DecodingException("The body ended within a part's headers");
            default -> throw new DecodingException("The body ended within a part, before its closing boundary");
        }
    }

    /** Releases what is held back; a buffer fed afterwards is released at once. */
    synchronized void dispose() {
        state = State.DISPOSED;
        releaseHeldBack();
    }

    private void skipPreamble(DataBuffer buffer) {
        int end = preamble.match(buffer);
        if (end == -1) {
            buffer.readPosition(buffer.writePosition());
            return;
        }
        buffer.readPosition(end + 1);
        startHeaders();
    }

    private void startHeaders() {
        state = State.HEADERS;
        header = new byte[Math.min(maxHeadersSize, 256)];
        headerLength = 0;
    }

    /**
     * The bytes after a delimiter: {@code --} closes the body; otherwise the rest of the delimiter line, the
     * headers and the blank line after them. Copied, as headers are small.
     */
    private void readHeaders(DataBuffer buffer) {
        while (buffer.readableByteCount() > 0) {
            if (headerLength == maxHeadersSize) {
                throw new DataBufferLimitException("A part's headers are larger than " + maxHeadersSize + " bytes");
            }
            if (headerLength == header.length) {
                header = Arrays.copyOf(header, Math.min(maxHeadersSize, header.length * 2));
            }
            header[headerLength++] = buffer.read();
            if (headerLength == 2 && header[0] == '-' && header[1] == '-') {
                state = State.EPILOGUE;
                buffer.readPosition(buffer.writePosition());
                return;
            }
            if (endsWithBlankLine()) {
                beginPart(PartHeaders.parse(header, headerLength));
                return;
            }
        }
    }

    private boolean endsWithBlankLine() {
        return headerLength >= 4 && header[headerLength - 4] == '\r' && header[headerLength - 3] == '\n'
                && header[headerLength - 2] == '\r' && header[headerLength - 1] == '\n';
    }

    private void beginPart(HttpHeaders parsed) {
        headers = parsed;
        kind = PartKind.of(parsed);
        header = null;
        fieldBytes = kind == PartKind.FIELD ? new ByteArrayOutputStream() : null;
        // The delimiter that ends the body carries its own CRLF, after the headers' blank line.
        closing.reset();
        state = State.BODY;
    }

    private void readBody(DataBuffer buffer, List<PartEvent> events) {
        int start = closing.find(buffer);
        if (start == DelimiterSearch.NOT_FOUND) {
            hold(buffer.split(buffer.writePosition()), events);
            return;
        }
        int after = buffer.readableByteCount() - start - delimiter.length;
        if (start > 0) {
            hold(buffer.split(buffer.readPosition() + start), events);
        } else if (start < 0) {
            dropHeldBackTail(-start);
        }
        buffer.readPosition(buffer.writePosition() - after);
        finishPart(buffer, events);
        startHeaders();
    }

    /**
     * Keeps {@code piece} back, then hands on every held-back buffer that the bytes after it prove to be body: a
     * delimiter not yet complete spans at most its length minus one bytes at the end.
     */
    private void hold(DataBuffer piece, List<PartEvent> events) {
        heldBack.addLast(piece);
        heldBackBytes += piece.readableByteCount();
        while (heldBackBytes - heldBack.peekFirst().readableByteCount() >= delimiter.length - 1) {
            DataBuffer body = heldBack.pollFirst();
            heldBackBytes -= body.readableByteCount();
            emit(body, false, events);
        }
    }

    /** The last {@code count} held-back bytes turned out to be the start of the delimiter. */
    private void dropHeldBackTail(int count) {
        int left = count;
        while (left > 0) {
            DataBuffer last = heldBack.peekLast();
            if (last == null) {
                throw new IllegalStateException("a delimiter began before the held-back bytes");
            }
            int size = last.readableByteCount();
            if (size <= left) {
                heldBack.pollLast();
                DataBufferUtils.release(last);
                left -= size;
            } else {
                last.writePosition(last.writePosition() - left);
                left = 0;
            }
        }
        heldBackBytes -= count;
    }

    /** Hands on what is held back, the last of it as the part's last event. */
    private void finishPart(DataBuffer current, List<PartEvent> events) {
        if (heldBack.isEmpty()) {
            emit(current.factory().allocateBuffer(0), true, events);
        }
        while (!heldBack.isEmpty()) {
            DataBuffer body = heldBack.pollFirst();
            emit(body, heldBack.isEmpty(), events);
        }
        heldBackBytes = 0;
        headers = null;
        kind = null;
        fieldBytes = null;
    }

    private void emit(DataBuffer body, boolean last, List<PartEvent> events) {
        switch (kind) {
            case FILE -> events.add(new StreamedParts.FileBody(headers, body, last));
            case OTHER -> events.add(new StreamedParts.Body(headers, body, last));
            case FIELD -> {
                try {
                    if (fieldBytes.size() + body.readableByteCount() > maxFieldSize) {
                        throw new DataBufferLimitException("A form field is larger than " + maxFieldSize + " bytes");
                    }
                    try (DataBuffer.ByteBufferIterator buffers = body.readableByteBuffers()) {
                        buffers.forEachRemaining(bytes -> {
                            byte[] copy = new byte[bytes.remaining()];
                            bytes.get(copy);
                            fieldBytes.writeBytes(copy);
                        });
                    }
                } finally {
                    DataBufferUtils.release(body);
                }
                if (last) {
                    events.add(new StreamedParts.Field(headers, fieldBytes.toString(PartHeaders.charset(headers))));
                }
            }
            default -> throw new IllegalStateException(String.valueOf(kind));
        }
    }

    private void releaseHeldBack() {
        DataBuffer buffer;
        while ((buffer = heldBack.pollFirst()) != null) {
            DataBufferUtils.release(buffer);
        }
        heldBackBytes = 0;
    }

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] joined = new byte[first.length + second.length];
        System.arraycopy(first, 0, joined, 0, first.length);
        System.arraycopy(second, 0, joined, first.length, second.length);
        return joined;
    }

    private enum State {
        PREAMBLE, HEADERS, BODY, EPILOGUE, DISPOSED
    }
}
