package dev.spool.ingest.tus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

/** Every upload up to 5 TiB (S3's object limit) fits in 10,000 parts of at least the configured size. */
class PartSizingProperties {

    private static final long MIB = 1024L * 1024;

    @Property
    void theFileFitsInTenThousandWholeMibPartsOfAtLeastTheConfiguredSize(
            @ForAll @LongRange(min = 1, max = 5L * 1024 * 1024 * 1024 * 1024) long maxBytes,
            @ForAll @LongRange(min = 5, max = 512) long configuredMib) {
        long size = PartSizing.partSize(maxBytes, configuredMib * MIB);

        assertThat(size).isGreaterThanOrEqualTo(configuredMib * MIB);
        assertThat(size % MIB).isZero();
        assertThat((maxBytes + size - 1) / size).isLessThanOrEqualTo(PartSizing.MAX_PARTS);
        assertThat(size - MIB).satisfiesAnyOf(
                smaller -> assertThat(smaller).isLessThan(configuredMib * MIB),
                smaller -> assertThat((maxBytes + smaller - 1) / smaller).isGreaterThan(PartSizing.MAX_PARTS));
    }

    @Test
    void theDefaultsKeepTheConfiguredSizeUpToTheDefaultMaximum() {
        assertThat(PartSizing.partSize(10L * 1024 * MIB, 8 * MIB)).isEqualTo(8 * MIB);
        assertThat(PartSizing.partSize(100L * 1024 * MIB, 8 * MIB)).isEqualTo(11 * MIB);
        assertThatThrownBy(() -> PartSizing.partSize(1, MIB)).isInstanceOf(IllegalArgumentException.class);
    }
}
