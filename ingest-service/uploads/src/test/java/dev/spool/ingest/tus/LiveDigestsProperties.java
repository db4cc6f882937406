package dev.spool.ingest.tus;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * A file stored in parts over many requests, its digest kept on the instance between them, hashes as if it came in
 * one piece; a digest that does not cover exactly the stored parts is never resumed.
 */
class LiveDigestsProperties {

    @Property
    void keptBetweenRequestsTheDigestIsTheWholeFilesAndAnyOtherCoverageIsLost(
            @ForAll @Size(max = 5000) byte[] file,
            @ForAll @Size(max = 8) List<@IntRange(min = 0, max = 5000) Integer> cuts,
            @ForAll @IntRange(min = -3, max = 3) int wrongBy) throws Exception {
        LiveDigests digests = new LiveDigests();
        RunningSha256 digest = digests.resume("upload", 0);
        int at = 0;
        for (int cut : cuts.stream().sorted().toList()) {
            int end = Math.min(cut, file.length);
            if (end > at) {
                digest.update(Arrays.copyOfRange(file, at, end));
                at = end;
            }
            digests.keep("upload", digest);
            digest = digests.resume("upload", at);
            assertThat(digest).as("resumed after %d bytes", at).isNotNull();
        }
        digest.update(Arrays.copyOfRange(file, at, file.length));

        assertThat(digest.hex()).isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(file)));
        assertThat(digest.hashed()).isEqualTo(file.length);
        digests.keep("upload", digest);
        if (wrongBy != 0 && file.length > 0 && file.length + wrongBy > 0) {
            assertThat(digests.resume("upload", file.length + wrongBy)).as("a digest covering other bytes").isNull();
            assertThat(digests.resume("upload", file.length)).as("taken, so gone").isNull();
        }
    }

    @Property
    void anUploadWithoutPartsStartsAFreshDigestWhateverWasKept(@ForAll @Size(min = 1, max = 100) byte[] bytes) {
        LiveDigests digests = new LiveDigests();
        RunningSha256 old = RunningSha256.start();
        old.update(bytes);
        digests.keep("upload", old);

        RunningSha256 fresh = digests.resume("upload", 0);

        assertThat(fresh.hashed()).isZero();
        assertThat(digests.resume("other", 10)).isNull();
    }
}
