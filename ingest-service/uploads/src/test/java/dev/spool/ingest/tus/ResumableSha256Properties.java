package dev.spool.ingest.tus;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** A file hashed over many requests, its state saved and resumed between each, hashes as if it came in one piece. */
class ResumableSha256Properties {

    @Property
    void savingAndResumingAtAnySplitGivesTheWholeFilesDigest(@ForAll @Size(max = 5000) byte[] file,
            @ForAll @Size(max = 8) List<@IntRange(min = 0, max = 5000) Integer> cuts) throws Exception {
        ResumableSha256 digest = ResumableSha256.start();
        int at = 0;
        for (int cut : cuts.stream().sorted().toList()) {
            int end = Math.min(cut, file.length);
            if (end > at) {
                digest.update(file, at, end - at);
                at = end;
            }
            digest = ResumableSha256.resume(digest.state());
        }
        digest.update(file, at, file.length - at);

        String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(file));
        assertThat(digest.hex()).isEqualTo(expected);
        assertThat(ResumableSha256.resume(digest.state()).hex()).isEqualTo(expected);
    }
}
