package dev.spool.processor.extraction.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.text.Normalizer;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;

/** Captions from several standards, kept once each: whatever the text, what is kept is tidy, bounded and distinct. */
class DistinctTextsProperties {

    @Property
    void aNormalisedTextIsTrimmedBoundedAndNormalisedAlready(@ForAll @StringLength(max = 3000) String text) {
        String normal = DistinctTexts.normalise(text);

        if (normal != null) {
            assertThat(normal).isNotBlank().isEqualTo(normal.strip()).doesNotContain("  ", "\n", "\t");
            assertThat(normal.length()).isLessThanOrEqualTo(DistinctTexts.MAX_LENGTH);
            assertThat(Character.isHighSurrogate(normal.charAt(normal.length() - 1))).isFalse();
            assertThat(DistinctTexts.normalise(normal)).isEqualTo(normal);
        }
    }

    @Property
    void textsThatDifferOnlyInWhiteSpaceCaseOrCompositionAreKeptOnceInTheOrderFirstSeen(
            @ForAll @Size(max = 20) List<@StringLength(max = 40) String> texts) {
        DistinctTexts distinct = new DistinctTexts();
        for (String text : texts) {
            distinct.add(text);
            distinct.add("  " + Normalizer.normalize(text.toUpperCase(Locale.ROOT), Normalizer.Form.NFD) + "\n");
        }

        List<String> kept = distinct.list();

        List<String> originals = texts.stream().map(DistinctTexts::normalise).filter(Objects::nonNull).toList();
        assertThat(originals).as("every variant is dropped: only originals are kept, in their order")
                .containsSubsequence(kept);
        assertThat(kept.stream().map(text -> text.toLowerCase(Locale.ROOT)).distinct()).hasSameSizeAs(kept);
        assertThat(kept.isEmpty()).isEqualTo(originals.isEmpty());
    }

    @Property
    void accentsComposedAndDecomposedAreOneText(@ForAll @StringLength(min = 1, max = 40) String text) {
        DistinctTexts distinct = new DistinctTexts();
        distinct.add(Normalizer.normalize(text, Normalizer.Form.NFD));
        distinct.add(Normalizer.normalize(text, Normalizer.Form.NFC));

        assertThat(distinct.list()).hasSizeLessThanOrEqualTo(1);
    }
}
