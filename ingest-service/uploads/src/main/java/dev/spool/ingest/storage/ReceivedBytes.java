package dev.spool.ingest.storage;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.core.io.buffer.DataBuffer;

/**
 * The account of a file's bytes as they arrive: counted and hashed from each network buffer before anything else
 * reads it. What is stored is checked against this account, so a buffer lost or repeated between arrival and
 * storage cannot pass unnoticed. Besides the SHA-256 it keeps the digests a client sent to be checked against.
 * Not thread-safe: a stream's buffers arrive one after another.
 */
final class ReceivedBytes {

    private final MessageDigest sha256 = newDigest("SHA-256");
    private final Map<String, MessageDigest> requested = new LinkedHashMap<>();
    private long size;

    /** @param algorithms JCA names of further digests to compute, e.g. {@code MD5} */
    ReceivedBytes(Iterable<String> algorithms) {
        for (String algorithm : algorithms) {
            requested.computeIfAbsent(algorithm, ReceivedBytes::newDigest);
        }
    }

    /** Counts and hashes {@code chunk}'s readable bytes without consuming them. */
    void take(DataBuffer chunk) {
        try (DataBuffer.ByteBufferIterator buffers = chunk.readableByteBuffers()) {
            buffers.forEachRemaining(buffer -> {
                size += buffer.remaining();
                for (MessageDigest digest : requested.values()) {
                    digest.update(buffer.duplicate());
                }
                sha256.update(buffer);
            });
        }
    }

    long size() {
        return size;
    }

    /** Hex SHA-256 of every byte taken; call once, after the stream ended. */
    String sha256Hex() {
        return HexFormat.of().formatHex(sha256.digest());
    }

    /** The digests asked for at construction, by JCA name; call once, after the stream ended. */
    Map<String, byte[]> requestedDigests() {
        Map<String, byte[]> digests = new LinkedHashMap<>();
        requested.forEach((algorithm, digest) -> digests.put(algorithm, digest.digest()));
        return digests;
    }

    static MessageDigest newDigest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime provides " + algorithm, e);
        }
    }
}
