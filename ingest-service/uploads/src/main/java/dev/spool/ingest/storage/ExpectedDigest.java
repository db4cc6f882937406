package dev.spool.ingest.storage;

import java.security.MessageDigest;

/**
 * A digest a client sent for a file, to be checked against the bytes that arrived before the file is kept.
 *
 * @param header the header it came in, e.g. {@code Content-MD5}, to name it in a refusal
 * @param algorithm the JCA name, e.g. {@code SHA-256}
 * @param value the digest the file must have
 */
public record ExpectedDigest(String header, String algorithm, byte[] value) {

    /** Whether {@code actual} is this digest. */
    public boolean matches(byte[] actual) {
        return MessageDigest.isEqual(value, actual);
    }
}
