package dev.spool.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * A file that ingest accepts as a PDF (it starts with the PDF signature) but whose body is random, so that no
 * layer can compress it and every run sends the same bytes.
 */
final class TestFile {

    private static final byte[] SIGNATURE = "%PDF-1.7\n".getBytes(StandardCharsets.US_ASCII);
    private static final int BLOCK = 1024 * 1024;
    private static final long SEED = 20_240_611L;

    private TestFile() {
    }

    static Path create(Path dir, long size) throws IOException {
        Path file = dir.resolve("bench.pdf");
        SplittableRandom random = new SplittableRandom(SEED);
        byte[] block = new byte[BLOCK];
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(SIGNATURE);
            long left = size - SIGNATURE.length;
            while (left > 0) {
                fill(random, block);
                int length = (int) Math.min(block.length, left);
                out.write(block, 0, length);
                left -= length;
            }
        }
        return file;
    }

    private static void fill(SplittableRandom random, byte[] block) {
        for (int i = 0; i < block.length; i += Long.BYTES) {
            long value = random.nextLong();
            for (int j = 0; j < Long.BYTES; j++) {
                block[i + j] = (byte) (value >>> (j * Byte.SIZE));
            }
        }
    }
}
