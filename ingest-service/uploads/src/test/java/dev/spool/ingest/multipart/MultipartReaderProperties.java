package dev.spool.ingest.multipart;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.NettyDataBufferFactory;
import org.springframework.http.MediaType;
import org.springframework.http.codec.multipart.FilePartEvent;
import org.springframework.http.codec.multipart.FormPartEvent;
import org.springframework.http.codec.multipart.PartEvent;
import reactor.core.publisher.Flux;

/**
 * However a well-formed body is cut into network buffers, the reader hands on exactly its parts: every file byte
 * once and in order, each part closed by one last event, form fields whole, and every buffer released once.
 */
class MultipartReaderProperties {

    private static final String BOUNDARY = "b0und-ary";
    private static final String DELIMITER = "\r\n--" + BOUNDARY;

    @Property(tries = 400)
    void everyPartArrivesWholeHoweverTheBodyIsCut(@ForAll("parts") List<Part> parts,
            @ForAll("cuts") List<Integer> cuts, @ForAll boolean preamble) {
        parts.forEach(part -> Assume.that(!new String(part.body(), StandardCharsets.ISO_8859_1).contains(DELIMITER)));
        byte[] body = encode(parts, preamble);
        List<ByteBuf> allocated = new ArrayList<>();
        Flux<DataBuffer> buffers = Flux.fromIterable(chunks(body, cuts, allocated));

        List<Part> read = new ArrayList<>();
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        List<PartEvent> events = MultipartReader.read(MediaType.parseMediaType(
                "multipart/form-data; boundary=\"" + BOUNDARY + "\""), buffers).collectList().block();
        for (PartEvent event : events) {
            if (event instanceof FormPartEvent form) {
                read.add(new Part(form.name(), null, form.value().getBytes(StandardCharsets.UTF_8)));
            } else {
                byte[] bytes = new byte[event.content().readableByteCount()];
                event.content().read(bytes);
                file.writeBytes(bytes);
                if (event.isLast()) {
                    read.add(new Part(event.name(), ((FilePartEvent) event).filename(), file.toByteArray()));
                    file.reset();
                }
            }
            DataBufferUtils.release(event.content());
        }

        assertThat(read).usingRecursiveFieldByFieldElementComparator().isEqualTo(parts);
        assertThat(file.size()).as("bytes after the last part's last event").isZero();
        assertThat(allocated).allSatisfy(buffer -> assertThat(buffer.refCnt()).isZero());
    }

    @Provide
    Arbitrary<List<Part>> parts() {
        // Bytes drawn mostly from the delimiter's own, so that bodies keep holding its beginnings.
        Arbitrary<byte[]> bytes = Arbitraries.of((byte) '\r', (byte) '\n', (byte) '-', (byte) 'b', (byte) '0',
                        (byte) 'x', (byte) 0, (byte) 0xff)
                .array(byte[].class).ofMaxSize(300);
        Arbitrary<Part> file = Combinators.combine(Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(8), bytes)
                .as((name, body) -> new Part("file", name + ".bin", body));
        Arbitrary<Part> field = Arbitraries.strings().alpha().numeric().ofMaxLength(40)
                .map(value -> new Part("priority", null, value.getBytes(StandardCharsets.UTF_8)));
        return Arbitraries.oneOf(file, field).list().ofMinSize(1).ofMaxSize(4);
    }

    @Provide
    Arbitrary<List<Integer>> cuts() {
        return Arbitraries.integers().between(1, 40).list().ofMinSize(1).ofMaxSize(12);
    }

    static byte[] encode(List<Part> parts, boolean preamble) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (preamble) {
            out.writeBytes("This is the preamble; it is to be ignored.\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        for (Part part : parts) {
            String disposition = "form-data; name=\"" + part.name() + "\""
                    + (part.filename() == null ? "" : "; filename=\"" + part.filename() + "\"");
            out.writeBytes(("--" + BOUNDARY + "\r\nContent-Disposition: " + disposition + "\r\n"
                    + (part.filename() == null ? "" : "Content-Type: application/octet-stream\r\n") + "\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.writeBytes(part.body());
            out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.writeBytes(("--" + BOUNDARY + "--\r\nepilogue").getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    /** {@code body} in buffers of the sizes in {@code cuts}, repeated as needed, each one a Netty buffer. */
    static List<DataBuffer> chunks(byte[] body, List<Integer> cuts, List<ByteBuf> allocated) {
        NettyDataBufferFactory factory = new NettyDataBufferFactory(UnpooledByteBufAllocator.DEFAULT);
        List<DataBuffer> chunks = new ArrayList<>();
        int at = 0;
        for (int i = 0; at < body.length; i++) {
            int size = Math.min(cuts.get(i % cuts.size()), body.length - at);
            ByteBuf buf = UnpooledByteBufAllocator.DEFAULT.buffer(size);
            buf.writeBytes(body, at, size);
            allocated.add(buf);
            chunks.add(factory.wrap(buf));
            at += size;
        }
        return chunks;
    }

    record Part(String name, String filename, byte[] body) {
    }
}
