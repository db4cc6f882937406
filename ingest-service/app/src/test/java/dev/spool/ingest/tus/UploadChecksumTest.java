package dev.spool.ingest.tus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spool.ingest.problem.ProblemCode;
import dev.spool.ingest.problem.SpoolProblem;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class UploadChecksumTest {

    private static final byte[] BODY = "hello tus".getBytes(StandardCharsets.US_ASCII);

    @Test
    void eachAdvertisedAlgorithmVerifiesItsDigest() {
        for (String algorithm : UploadChecksum.ADVERTISED.split(",")) {
            UploadChecksum checksum = UploadChecksum.parse(TusClient.checksum(algorithm, BODY));
            assertThat(checksum.matches(checksum.newDigest().digest(BODY))).as(algorithm).isTrue();
            assertThat(checksum.matches(checksum.newDigest().digest("other".getBytes(StandardCharsets.US_ASCII))))
                    .as(algorithm).isFalse();
        }
    }

    @Test
    void algorithmNamesAreCaseInsensitiveAndAbsenceIsNoChecksum() {
        assertThat(UploadChecksum.parse(TusClient.checksum("sha256", BODY).replace("sha256", "SHA256")).algorithm())
                .isEqualTo("sha256");
        assertThat(UploadChecksum.parse(null)).isNull();
    }

    @Test
    void anUnknownAlgorithmNamesTheOnesServed() {
        assertThatThrownBy(() -> UploadChecksum.parse("crc32 AAAA")).isInstanceOfSatisfying(SpoolProblem.class,
                problem -> {
                    assertThat(problem.code()).isEqualTo(ProblemCode.CHECKSUM_ALGORITHM_UNSUPPORTED);
                    assertThat(problem.headers()).containsEntry("Tus-Checksum-Algorithm", "sha256,sha1,md5");
                });
    }

    @Test
    void aMalformedHeaderIsABadRequest() {
        for (String header : new String[] {"sha256", "sha256 not base64!", "sha256 a b"}) {
            assertThatThrownBy(() -> UploadChecksum.parse(header)).as(header).isInstanceOfSatisfying(
                    SpoolProblem.class, problem -> assertThat(problem.code()).isEqualTo(ProblemCode.MALFORMED_REQUEST));
        }
    }
}
