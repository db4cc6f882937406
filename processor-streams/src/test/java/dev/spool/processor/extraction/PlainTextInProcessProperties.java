package dev.spool.processor.extraction;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.StringLength;

/** UTF-8 text read as it is: stored byte for byte, counted as Java counts it. */
class PlainTextInProcessProperties {

    private static final ExtractionLimits LIMITS = new ExtractionLimits(1_000_000, 100, 1 << 20, 100,
            Duration.ofSeconds(10), "256m");
    private final PlainTextInProcess extractor = new PlainTextInProcess(() -> {
        throw new AssertionError("UTF-8 text never needs Tika");
    }, LIMITS, 1 << 20);

    @Property
    void utf8TextIsStoredByteForByteWithItsCharactersAndWordsCounted(@ForAll @StringLength(max = 2000) String text)
            throws Exception {
        String wellFormed = text.codePoints()
                .filter(codePoint -> !Character.isSurrogate((char) codePoint) || Character.isSupplementaryCodePoint(codePoint))
                .filter(codePoint -> codePoint != '\uFEFF')
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
                .toString();
        byte[] bytes = wellFormed.getBytes(StandardCharsets.UTF_8);

        ExtractedText extracted = extractor.extract(bytes, "text/plain");

        assertThat(extracted.utf8()).isEqualTo(bytes);
        assertThat(extracted.summary().characters()).isEqualTo(wellFormed.length());
        assertThat(extracted.summary().words()).isEqualTo(words(wellFormed));
    }

    private static long words(String text) {
        long words = 0;
        boolean inWord = false;
        for (char c : text.toCharArray()) {
            boolean space = Character.isWhitespace(c);
            if (!space && !inWord) {
                words++;
            }
            inWord = !space;
        }
        return words;
    }
}
