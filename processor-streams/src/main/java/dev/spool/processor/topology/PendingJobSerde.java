package dev.spool.processor.topology;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The in-flight store's value format. It outlives a process (it is restored from the changelog by whichever instance
 * takes a task over, possibly a newer version), so it starts with a format version and only ever grows new versions.
 */
final class PendingJobSerde implements Serde<PendingJob> {

    private static final byte VERSION = 1;

    @Override
    public Serializer<PendingJob> serializer() {
        return (topic, job) -> job == null ? null : write(job);
    }

    @Override
    public Deserializer<PendingJob> deserializer() {
        return (topic, bytes) -> bytes == null ? null : read(bytes);
    }

    static byte[] write(PendingJob job) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(job.value().length + 256);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            writeNullable(out, job.key());
            out.writeUTF(job.topic());
            out.writeInt(job.partition());
            out.writeLong(job.offset());
            out.writeLong(job.timestamp());
            out.writeInt(job.headers().length);
            for (Header header : job.headers()) {
                out.writeUTF(header.key());
                writeBytes(out, header.value());
            }
            writeBytes(out, job.value());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static PendingJob read(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            byte version = in.readByte();
            if (version != VERSION) {
                throw new IllegalStateException("unknown in-flight record format " + version);
            }
            String key = in.readBoolean() ? in.readUTF() : null;
            String topic = in.readUTF();
            int partition = in.readInt();
            long offset = in.readLong();
            long timestamp = in.readLong();
            Header[] headers = new Header[in.readInt()];
            for (int i = 0; i < headers.length; i++) {
                headers[i] = new RecordHeader(in.readUTF(), readBytes(in));
            }
            return new PendingJob(key, readBytes(in), headers, timestamp, topic, partition, offset);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void writeNullable(DataOutputStream out, String value) throws IOException {
        out.writeBoolean(value != null);
        if (value != null) {
            out.writeUTF(value);
        }
    }

    private static void writeBytes(DataOutputStream out, byte[] value) throws IOException {
        out.writeInt(value == null ? -1 : value.length);
        if (value != null) {
            out.write(value);
        }
    }

    private static byte[] readBytes(DataInputStream in) throws IOException {
        int length = in.readInt();
        return length < 0 ? null : in.readNBytes(length);
    }
}
