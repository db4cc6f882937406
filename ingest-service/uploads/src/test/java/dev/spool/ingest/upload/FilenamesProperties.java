package dev.spool.ingest.upload;

import static org.assertj.core.api.Assertions.assertThat;

import java.text.Normalizer;
import java.util.Arrays;
import java.util.function.IntPredicate;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

class FilenamesProperties {

    /** Characters an attacker or a careless client puts in names: separators, dots, controls, bidi controls, marks. */
    private static final int[] NASTY = {'/', '\\', '.', ' ', '\t', '\n', '\r', 0x00, 0x1f, 0x7f, 0x85, 0x9f,
        0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069, 0x200E, 0x200F,
        0x00A0, 0x2028, 0x3000, 0x0301, 0x0308, 'e', 0x1100, 0x1161, 0x1F4C4};

    @Property(tries = 2000)
    void isNeverBlankNorTooLong(@ForAll("anyNames") String raw) {
        String name = Filenames.normalise(raw);
        assertThat(name).isNotBlank();
        assertThat(name.length()).isLessThanOrEqualTo(Filenames.MAX_LENGTH);
    }

    @Property(tries = 2000)
    void hasNoSeparatorControlOrBidiCharacter(@ForAll("anyNames") String raw) {
        String name = Filenames.normalise(raw);
        assertThat(name).doesNotContain("/", "\\");
        assertThat(name.codePoints()).noneMatch(Character::isISOControl);
        assertThat(name.codePoints()).noneMatch(FilenamesProperties::isBidiControl);
    }

    @Property(tries = 2000)
    void holdsNoHalfOfASurrogatePair(@ForAll("anyNames") String raw) {
        String name = Filenames.normalise(raw);
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (Character.isHighSurrogate(c)) {
                assertThat(i + 1 < name.length() && Character.isLowSurrogate(name.charAt(i + 1))).isTrue();
                i++;
            } else {
                assertThat(Character.isLowSurrogate(c)).isFalse();
            }
        }
    }

    /** Long names of mixed widths, so that the cut lands on either half of a pair. */
    @Property(tries = 500)
    void cutsLongNamesBetweenCodePoints(@ForAll("longWellFormedNames") String raw) {
        String name = Filenames.normalise(raw);
        assertThat(name.length()).isLessThanOrEqualTo(Filenames.MAX_LENGTH);
        assertThat(Character.isHighSurrogate(name.charAt(name.length() - 1))).isFalse();
    }

    @Property(tries = 3000)
    void isIdempotent(@ForAll("anyNames") String raw) {
        String once = Filenames.normalise(raw);
        assertThat(Filenames.normalise(once)).isEqualTo(once);
    }

    @Property(tries = 2000)
    void isInNormalFormC(@ForAll("anyNames") String raw) {
        String name = Filenames.normalise(raw);
        assertThat(Normalizer.isNormalized(name, Normalizer.Form.NFC)).isTrue();
    }

    @Example
    void anUnsafeCharacterBetweenALetterAndItsMarkDoesNotBlockComposition() {
        assertThat(Filenames.normalise("e\u0000\u0301.txt")).isEqualTo("\u00e9.txt");
        assertThat(Filenames.normalise("e\u202e\u0301.txt")).isEqualTo("\u00e9.txt");
    }

    @Example
    void keepsASafePlainName() {
        assertThat(Filenames.normalise("report-2024.pdf")).isEqualTo("report-2024.pdf");
    }

    @Provide
    Arbitrary<String> anyNames() {
        return Arbitraries.oneOf(
                Arbitraries.strings().all().ofMaxLength(600),
                codePointStrings(NASTY, 600, cp -> true),
                longWellFormedNames());
    }

    @Provide
    Arbitrary<String> longWellFormedNames() {
        Arbitrary<String> head = Arbitraries.strings().withChars('a', ' ', '/').ofMinLength(240).ofMaxLength(270);
        return Arbitraries.integers().between(0, 40)
                .flatMap(n -> head.flatMap(h -> codePointStrings(NASTY, n, cp -> true).map(tail -> h + tail)));
    }

    /** Strings of whole, allowed code points: printable ASCII, the given characters, other BMP and supplementary ones. */
    private static Arbitrary<String> codePointStrings(int[] nasty, int maxCodePoints, IntPredicate allowed) {
        Arbitrary<Integer> codePoint = Arbitraries.frequencyOf(
                Tuple.of(5, Arbitraries.integers().between(0x20, 0x7e)),
                Tuple.of(3, Arbitraries.of(Arrays.stream(nasty).boxed().toList())),
                Tuple.of(2, Arbitraries.integers().between(0x80, 0xffff)
                        .filter(cp -> !Character.isSurrogate((char) cp.intValue()))),
                Tuple.of(1, Arbitraries.integers().between(0x10000, Character.MAX_CODE_POINT)));
        return codePoint.filter(allowed::test).list().ofMaxSize(maxCodePoints)
                .map(cps -> cps.stream().map(Character::toString).collect(Collectors.joining()));
    }

    private static boolean isBidiControl(int cp) {
        return cp >= 0x202A && cp <= 0x202E || cp >= 0x2066 && cp <= 0x2069 || cp == 0x200E || cp == 0x200F;
    }
}
