package dev.spool.processor.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;

/** What a task keeps of a job in flight reads back exactly as written, whatever the record held. */
class PendingJobSerdeProperties {

    private final PendingJobSerde serde = new PendingJobSerde();

    @Property
    void everyPendingJobReadsBackAsWritten(@ForAll("pendingJobs") PendingJob job) {
        byte[] bytes = serde.serializer().serialize("in-flight-changelog", job);
        PendingJob read = serde.deserializer().deserialize("in-flight-changelog", bytes);

        assertThat(read.key()).isEqualTo(job.key());
        assertThat(read.value()).isEqualTo(job.value());
        assertThat(read.timestamp()).isEqualTo(job.timestamp());
        assertThat(read.topic()).isEqualTo(job.topic());
        assertThat(read.partition()).isEqualTo(job.partition());
        assertThat(read.offset()).isEqualTo(job.offset());
        assertThat(read.headers()).hasSameSizeAs(job.headers());
        for (int i = 0; i < job.headers().length; i++) {
            assertThat(read.headers()[i].key()).isEqualTo(job.headers()[i].key());
            assertThat(read.headers()[i].value()).isEqualTo(job.headers()[i].value());
        }
    }

    @Provide
    Arbitrary<PendingJob> pendingJobs() {
        Arbitrary<String> keys = Arbitraries.strings().ofMaxLength(40).injectNull(0.1);
        Arbitrary<byte[]> values = Arbitraries.bytes().array(byte[].class).ofMaxSize(2048);
        Arbitrary<Header> header = Combinators.combine(Arbitraries.strings().ofMinLength(1).ofMaxLength(30),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(64).injectNull(0.1))
                .as(RecordHeader::new);
        Arbitrary<List<Header>> headers = header.list().ofMaxSize(12);
        return Combinators.combine(keys, values, headers, Arbitraries.longs(), Arbitraries.strings().ofMinLength(1)
                .ofMaxLength(60), Arbitraries.integers().between(-1, 1000), Arbitraries.longs().between(-1,
                Long.MAX_VALUE))
                .as((key, value, list, timestamp, topic, partition, offset) -> new PendingJob(key, value,
                        list.toArray(Header[]::new), timestamp, topic, partition, offset));
    }
}
