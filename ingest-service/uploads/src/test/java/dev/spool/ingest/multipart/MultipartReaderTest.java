package dev.spool.ingest.multipart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.core.codec.DecodingException;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.MediaType;
import org.springframework.http.codec.multipart.FilePartEvent;
import org.springframework.http.codec.multipart.FormPartEvent;
import org.springframework.http.codec.multipart.PartEvent;
import reactor.core.publisher.Flux;

class MultipartReaderTest {

    private static final MediaType FORM = MediaType.parseMediaType("multipart/form-data; boundary=XyZ");

    private final List<ByteBuf> allocated = new ArrayList<>();

    @Test
    void readsAFileAndAFieldWithTransportPaddingAndAnEmptyFile() {
        String body = "--XyZ  \r\nContent-Disposition: form-data; name=\"priority\"\r\n\r\nlow\r\n"
                + "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\n"
                + "Content-Type: text/plain\r\n\r\nhello\r\n--XyZ\r\n"
                + "Content-Disposition: form-data; name=\"file\"; filename=\"empty.txt\"\r\n\r\n\r\n--XyZ--";

        List<PartEvent> events = read(FORM, body, 1000);

        assertThat(events).hasSize(3);
        assertThat(events.get(0)).isInstanceOfSatisfying(FormPartEvent.class, field -> {
            assertThat(field.name()).isEqualTo("priority");
            assertThat(field.value()).isEqualTo("low");
        });
        assertThat(events.get(1)).isInstanceOfSatisfying(FilePartEvent.class, file -> {
            assertThat(file.filename()).isEqualTo("a.txt");
            assertThat(file.content().toString(StandardCharsets.US_ASCII)).isEqualTo("hello");
            assertThat(file.isLast()).isTrue();
        });
        assertThat(events.get(2)).isInstanceOfSatisfying(FilePartEvent.class, file -> {
            assertThat(file.filename()).isEqualTo("empty.txt");
            assertThat(file.content().readableByteCount()).isZero();
            assertThat(file.isLast()).isTrue();
        });
        events.forEach(event -> DataBufferUtils.release(event.content()));
        assertThat(allocated).allSatisfy(buffer -> assertThat(buffer.refCnt()).isZero());
    }

    @Test
    void aContentTypeWithoutABoundaryIsMalformed() {
        assertThatThrownBy(() -> readReleasing(MediaType.MULTIPART_FORM_DATA, "--XyZ--", 4))
                .isInstanceOf(DecodingException.class).hasMessageContaining("no boundary");
    }

    @Test
    void aBodyWithoutItsClosingDelimiterIsMalformedAndReleasesWhatItHeldBack() {
        String body = "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a\"\r\n\r\nabc\r\n--X";

        assertThatThrownBy(() -> readReleasing(FORM, body, 5))
                .isInstanceOf(DecodingException.class).hasMessageContaining("before its closing boundary");
        assertThat(allocated).allSatisfy(buffer -> assertThat(buffer.refCnt()).isZero());
    }

    @Test
    void aBodyWithoutAnyBoundaryIsMalformed() {
        assertThatThrownBy(() -> readReleasing(FORM, "just some bytes", 4))
                .isInstanceOf(DecodingException.class).hasMessageContaining("no multipart boundary");
    }

    @Test
    void aPartWithoutANameIsMalformed() {
        String body = "--XyZ\r\nContent-Disposition: form-data; filename=\"a\"\r\n\r\nabc\r\n--XyZ--";

        assertThatThrownBy(() -> readReleasing(FORM, body, 7))
                .isInstanceOf(DecodingException.class).hasMessageContaining("no name");
        assertThat(allocated).allSatisfy(buffer -> assertThat(buffer.refCnt()).isZero());
    }

    @Test
    void headersOverTheLimitAreRefused() {
        String body = "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a\"\r\nX-Pad: "
                + "p".repeat(MultipartReader.MAX_HEADERS_SIZE) + "\r\n\r\nabc\r\n--XyZ--";

        assertThatThrownBy(() -> readReleasing(FORM, body, 1000)).isInstanceOf(DataBufferLimitException.class);
        assertThat(allocated).allSatisfy(buffer -> assertThat(buffer.refCnt()).isZero());
    }

    @Test
    void aFormFieldOverTheLimitIsRefused() {
        String body = "--XyZ\r\nContent-Disposition: form-data; name=\"priority\"\r\n\r\n"
                + "v".repeat(MultipartReader.MAX_FIELD_SIZE + 1) + "\r\n--XyZ--";

        assertThatThrownBy(() -> readReleasing(FORM, body, 8192)).isInstanceOf(DataBufferLimitException.class);
        assertThat(allocated).allSatisfy(buffer -> assertThat(buffer.refCnt()).isZero());
    }

    @Test
    void aSubscriberThatCancelsLeavesNothingHeldBack() {
        String body = "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a\"\r\n\r\n"
                + "0123456789".repeat(100) + "\r\n--XyZ--";

        PartEvent first = MultipartReader.read(FORM, Flux.fromIterable(
                MultipartReaderProperties.chunks(body.getBytes(StandardCharsets.US_ASCII), List.of(90), allocated)))
                .filter(event -> event.content().readableByteCount() > 0 || releaseAndSkip(event))
                .blockFirst();
        DataBufferUtils.release(first.content());

        assertThat(allocated).allSatisfy(buffer -> assertThat(buffer.refCnt()).isZero());
    }

    private static boolean releaseAndSkip(PartEvent event) {
        DataBufferUtils.release(event.content());
        return false;
    }

    /** Reads to the end, releasing each event as it comes, as ingest does. */
    private void readReleasing(MediaType type, String body, int chunkSize) {
        List<DataBuffer> chunks = MultipartReaderProperties.chunks(body.getBytes(StandardCharsets.US_ASCII),
                List.of(chunkSize), allocated);
        MultipartReader.read(type, Flux.fromIterable(chunks))
                .doOnNext(event -> DataBufferUtils.release(event.content()))
                .blockLast();
    }

    private List<PartEvent> read(MediaType type, String body, int chunkSize) {
        List<DataBuffer> chunks = MultipartReaderProperties.chunks(body.getBytes(StandardCharsets.US_ASCII),
                List.of(chunkSize), allocated);
        return MultipartReader.read(type, Flux.fromIterable(chunks)).collectList().block();
    }
}
