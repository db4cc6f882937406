package dev.spool.processor.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.NotEmpty;
import net.jqwik.api.constraints.Size;

/** The histogram's percentiles against the exact ones: never below, at most one bucket (about 19 %) above. */
class LatencyHistogramProperties {

    @Property
    void aQuantileIsNeverBelowTheTrueOneAndAtMostABucketAbove(
            @ForAll @NotEmpty @Size(max = 300) List<@LongRange(min = 0, max = 100_000_000) Long> millis,
            @ForAll @DoubleRange(min = 0.01, max = 1.0) double q) {
        LatencyHistogram histogram = LatencyHistogram.empty();
        for (long value : millis) {
            histogram = histogram.add(value);
        }
        List<Long> sorted = millis.stream().sorted().toList();
        long exact = sorted.get((int) Math.max(0, Math.ceil(q * sorted.size()) - 1));

        long estimate = histogram.quantile(q);

        assertThat(estimate).isGreaterThanOrEqualTo(exact);
        assertThat(estimate).isLessThanOrEqualTo(Math.max(exact + 1, (long) Math.ceil(exact * Math.pow(2, 0.25)) + 1));
        assertThat(estimate).isLessThanOrEqualTo(sorted.get(sorted.size() - 1));
        assertThat(histogram.count()).isEqualTo(millis.size());
        assertThat(histogram.summary().max()).isEqualTo(sorted.get(sorted.size() - 1));
    }

    @Property
    void everyValueFallsInTheFirstBucketWhoseBoundHoldsIt(@ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long millis) {
        int bucket = LatencyHistogram.bucket(millis);

        assertThat(LatencyHistogram.BOUNDS[bucket]).isGreaterThanOrEqualTo(millis);
        if (bucket > 0) {
            assertThat(LatencyHistogram.BOUNDS[bucket - 1]).isLessThan(millis);
        }
    }
}
