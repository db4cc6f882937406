package dev.spool.ingest.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.PooledByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.NettyDataBufferFactory;

class ReceivedBytesTest {

    private final NettyDataBufferFactory buffers = new NettyDataBufferFactory(PooledByteBufAllocator.DEFAULT);

    @Test
    void countsAndHashesEveryChunkWithoutConsumingIt() throws Exception {
        ReceivedBytes received = new ReceivedBytes(List.of("MD5", "SHA-512"));
        List<DataBuffer> chunks = List.of(chunk("abc"), chunk("defghij"), chunk("k"));

        for (DataBuffer chunk : chunks) {
            received.take(chunk);
        }

        assertThat(chunks).extracting(DataBuffer::readableByteCount).containsExactly(3, 7, 1);
        assertThat(received.size()).isEqualTo(11);
        assertThat(received.sha256Hex()).isEqualTo(hex("SHA-256", "abcdefghijk"));
        String md5 = hex("MD5", "abcdefghijk");
        String sha512 = hex("SHA-512", "abcdefghijk");
        assertThat(received.requestedDigests()).hasSize(2)
                .hasEntrySatisfying("MD5", digest -> assertThat(HexFormat.of().formatHex(digest)).isEqualTo(md5))
                .hasEntrySatisfying("SHA-512", digest -> assertThat(HexFormat.of().formatHex(digest)).isEqualTo(sha512));
        chunks.forEach(DataBufferUtils::release);
    }

    @Test
    void anEmptyStreamHasTheDigestOfNothing() throws Exception {
        ReceivedBytes received = new ReceivedBytes(List.of());

        assertThat(received.size()).isZero();
        assertThat(received.sha256Hex()).isEqualTo(hex("SHA-256", ""));
        assertThat(received.requestedDigests()).isEmpty();
    }

    private DataBuffer chunk(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        DataBuffer buffer = buffers.allocateBuffer(bytes.length);
        buffer.write(bytes);
        return buffer;
    }

    private static String hex(String algorithm, String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm)
                .digest(text.getBytes(StandardCharsets.US_ASCII)));
    }
}
