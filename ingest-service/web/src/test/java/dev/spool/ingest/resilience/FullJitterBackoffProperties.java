package dev.spool.ingest.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;

class FullJitterBackoffProperties {

    private static final long LARGEST_MAX = 120_000;

    @Property
    void theDelayLiesBetweenZeroAndTheCap(@ForAll("backoffs") FullJitterBackoff backoff,
            @ForAll @IntRange(min = 1, max = 30) int retry,
            @ForAll @DoubleRange(min = 0, max = 1, maxIncluded = false) double random) {
        long delay = backoff.delayMillis(retry, random);
        assertThat(delay).isBetween(0L, backoff.capMillis(retry));
    }

    @Property
    void theCapNeverExceedsTheMaximum(@ForAll("backoffs") FullJitterBackoff backoff,
            @ForAll @IntRange(min = 1, max = 30) int retry) {
        assertThat(backoff.capMillis(retry)).isBetween(0L, backoff.max().toMillis());
    }

    @Property
    void theCapNeverShrinksFromOneRetryToTheNext(@ForAll("backoffs") FullJitterBackoff backoff,
            @ForAll @IntRange(min = 1, max = 29) int retry) {
        assertThat(backoff.capMillis(retry + 1)).isGreaterThanOrEqualTo(backoff.capMillis(retry));
    }

    @Property
    void theFirstCapIsTheInitialWaitWithinTheMaximum(@ForAll("backoffs") FullJitterBackoff backoff) {
        assertThat(backoff.capMillis(1)).isEqualTo(Math.min(backoff.initial().toMillis(), backoff.max().toMillis()));
    }

    @Property
    void aRandomOfZeroWaitsNotAtAll(@ForAll("backoffs") FullJitterBackoff backoff,
            @ForAll @IntRange(min = 1, max = 30) int retry) {
        assertThat(backoff.delayMillis(retry, 0)).isZero();
    }

    @Property
    void retriesCountFromOne(@ForAll("backoffs") FullJitterBackoff backoff,
            @ForAll @IntRange(min = -100, max = 0) int retry) {
        assertThatThrownBy(() -> backoff.capMillis(retry)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> backoff.delayMillis(retry, 0.5)).isInstanceOf(IllegalArgumentException.class);
    }

    @Property
    void theRandomMustLieInTheUnitInterval(@ForAll("backoffs") FullJitterBackoff backoff,
            @ForAll("outsideUnitInterval") double random) {
        assertThatThrownBy(() -> backoff.delayMillis(1, random)).isInstanceOf(IllegalArgumentException.class);
    }

    @Property
    void aShrinkingMultiplierIsRefused(@ForAll @DoubleRange(min = -10, max = 1, maxIncluded = false) double multiplier) {
        assertThatThrownBy(() -> new FullJitterBackoff(Duration.ofMillis(100), multiplier, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Example
    void notANumberIsRefused() {
        assertThatThrownBy(() -> new FullJitterBackoff(Duration.ofMillis(100), Double.NaN, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
        FullJitterBackoff backoff = new FullJitterBackoff(Duration.ofMillis(100), 2, Duration.ofSeconds(1));
        assertThatThrownBy(() -> backoff.delayMillis(1, Double.NaN)).isInstanceOf(IllegalArgumentException.class);
    }

    @Property
    void negativeDurationsAreRefused(@ForAll @IntRange(min = 1, max = 10_000) int millis) {
        Duration negative = Duration.ofMillis(-millis);
        assertThatThrownBy(() -> new FullJitterBackoff(negative, 2, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FullJitterBackoff(Duration.ZERO, 2, negative))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Provide
    Arbitrary<FullJitterBackoff> backoffs() {
        Arbitrary<Long> initial = Arbitraries.longs().between(0, 10_000);
        Arbitrary<Double> multiplier = Arbitraries.doubles().between(1.0, 4.0);
        return Combinators.combine(initial, multiplier, Arbitraries.doubles().between(0, 1))
                .as((init, mult, share) -> new FullJitterBackoff(Duration.ofMillis(init), mult,
                        Duration.ofMillis(init + Math.round((LARGEST_MAX - init) * share))));
    }

    @Provide
    Arbitrary<Double> outsideUnitInterval() {
        return Arbitraries.oneOf(Arbitraries.doubles().between(1.0, 1e9),
                Arbitraries.doubles().between(-1e9, 0).filter(d -> d < 0),
                Arbitraries.of(1.0, -Double.MIN_VALUE, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY));
    }
}
