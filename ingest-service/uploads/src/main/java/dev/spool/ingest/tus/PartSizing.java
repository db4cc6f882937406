package dev.spool.ingest.tus;

/**
 * The S3 part size of one resumable upload: the configured size, grown when needed so that the largest file the
 * upload may become fits in S3's 10,000 parts. Fixed for the life of an upload, since parts are cut at its
 * multiples.
 */
public final class PartSizing {

    /** S3's most parts in one multipart upload. */
    static final int MAX_PARTS = 10_000;
    /** S3's smallest part other than the last. */
    static final long MIN_PART = 5L * 1024 * 1024;
    private static final long MIB = 1024L * 1024;

    private PartSizing() {
    }

    /**
     * The part size for an upload of at most {@code maxBytes}.
     *
     * @param maxBytes the upload's length, or the server's maximum when the length is deferred
     * @param configured the configured part size, at least 5 MiB
     * @return a whole number of MiB, at least {@code configured}, with {@code maxBytes} fitting in 10,000 parts
     */
    public static long partSize(long maxBytes, long configured) {
        if (maxBytes < 1 || configured < MIN_PART) {
            throw new IllegalArgumentException("need a positive size and a part of at least 5 MiB");
        }
        long needed = ceilDiv(maxBytes, MAX_PARTS);
        return Math.max(configured, ceilDiv(needed, MIB) * MIB);
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }
}
