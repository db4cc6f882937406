package dev.spool.ingest.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.spool.ingest.problem.ProblemCode;
import dev.spool.ingest.problem.SpoolProblem;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The check that stands before every multipart 202: a stored object unlike the bytes that arrived, by one byte or
 * by one bit, is refused; so is a file unlike the digest its client sent.
 */
class ReceiptTest {

    private static final byte[] FILE = "The bytes that arrived, all of them.".getBytes(StandardCharsets.US_ASCII);

    @Test
    void theSameBytesAgree() {
        Receipt receipt = receipt(FILE);

        assertThatCode(() -> receipt.agreeWith(FILE.length, sha256Hex(FILE),
                List.of(new ExpectedDigest("Content-MD5", "MD5", digest("MD5", FILE))), "uploads/job"))
                .doesNotThrowAnyException();
    }

    @Test
    void aStoredObjectShorterOrOtherThanWhatArrivedIsRefusedAsIncomplete() {
        Receipt receipt = receipt(FILE);
        byte[] short8 = Arrays.copyOf(FILE, FILE.length - 8);
        byte[] flipped = FILE.clone();
        flipped[3] ^= 1;

        assertThat(refusal(() -> receipt.agreeWith(short8.length, sha256Hex(short8), List.of(), "uploads/job")).code())
                .isEqualTo(ProblemCode.UPLOAD_INCOMPLETE);
        assertThat(refusal(() -> receipt.agreeWith(flipped.length, sha256Hex(flipped), List.of(), "uploads/job")).code())
                .isEqualTo(ProblemCode.UPLOAD_INCOMPLETE);
    }

    @Test
    void aFileUnlikeItsClientsDigestIsRefusedNamingTheHeader() {
        Receipt receipt = new Receipt(FILE.length, sha256Hex(FILE), Map.of("SHA-256", digest("SHA-256", FILE)));
        byte[] other = "Some other file.".getBytes(StandardCharsets.US_ASCII);

        SpoolProblem refused = refusal(() -> receipt.agreeWith(FILE.length, sha256Hex(FILE),
                List.of(new ExpectedDigest("Repr-Digest", "SHA-256", digest("SHA-256", other))), "uploads/job"));

        assertThat(refused.code()).isEqualTo(ProblemCode.DIGEST_MISMATCH);
        assertThat(refused.getMessage()).contains("Repr-Digest");
    }

    private static Receipt receipt(byte[] file) {
        return new Receipt(file.length, sha256Hex(file), Map.of("MD5", digest("MD5", file)));
    }

    private static SpoolProblem refusal(Runnable check) {
        return catchThrowableOfType(SpoolProblem.class, check::run);
    }

    private static String sha256Hex(byte[] bytes) {
        return HexFormat.of().formatHex(digest("SHA-256", bytes));
    }

    private static byte[] digest(String algorithm, byte[] bytes) {
        try {
            return MessageDigest.getInstance(algorithm).digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has " + algorithm, e);
        }
    }
}
