package dev.spool.ingest.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import io.netty.buffer.PooledByteBufAllocator;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.NettyDataBufferFactory;
import org.springframework.core.io.buffer.PooledDataBuffer;

class PartBufferTest {

    private final NettyDataBufferFactory buffers = new NettyDataBufferFactory(PooledByteBufAllocator.DEFAULT);

    @Test
    void cutsChunksIntoPartsOfTheConfiguredSizeAcrossChunkBoundaries() {
        PartBuffer buffer = new PartBuffer(4);
        List<byte[]> parts = new ArrayList<>();
        List<DataBuffer> chunks = List.of(chunk("abc"), chunk("defghij"), chunk("k"));

        for (DataBuffer chunk : chunks) {
            parts.addAll(buffer.append(chunk));
        }

        assertThat(parts).extracting(part -> new String(part, StandardCharsets.US_ASCII))
                .containsExactly("abcd", "efgh");
        assertThat(new String(buffer.remainder(), StandardCharsets.US_ASCII)).isEqualTo("ijk");
        assertThat(buffer.size()).isEqualTo(11);
        assertThat(chunks).allSatisfy(chunk -> assertThat(((PooledDataBuffer) chunk).isAllocated()).isFalse());
    }

    @Test
    void aStreamEndingOnAPartBoundaryLeavesNoRemainder() {
        PartBuffer buffer = new PartBuffer(3);

        assertThat(buffer.append(chunk("abcdef"))).hasSize(2);
        assertThat(buffer.remainder()).isEmpty();
        assertThat(buffer.size()).isEqualTo(6);
    }

    @Test
    void growsBeyondItsInitialCapacityUpToOnePart() {
        int partSize = 200 * 1024;
        PartBuffer buffer = new PartBuffer(partSize);
        byte[] big = new byte[150 * 1024];

        assertThat(buffer.append(buffers.wrap(big))).isEmpty();
        List<byte[]> parts = buffer.append(buffers.wrap(big));

        assertThat(parts).singleElement().satisfies(part -> assertThat(part).hasSize(partSize));
        assertThat(buffer.remainder()).hasSize(2 * big.length - partSize);
    }

    @Test
    void anEmptyStreamHasNoBytes() {
        PartBuffer buffer = new PartBuffer(8);

        assertThat(buffer.remainder()).isEmpty();
        assertThat(buffer.size()).isZero();
    }

    private DataBuffer chunk(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        DataBuffer buffer = buffers.allocateBuffer(bytes.length);
        buffer.write(bytes);
        return buffer;
    }
}
