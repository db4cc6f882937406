package dev.spool.processor.retry;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.assertj.core.data.Offset;

class RetryScheduleProperties {

    @Property
    void aDelayStaysWithinZeroAndItsCeilingWhichNeverExceedsTheCap(@ForAll("schedules") RetrySchedule schedule,
            @ForAll @IntRange(min = 1, max = 200) int attempt, @ForAll @DoubleRange(min = 0, max = 1, maxIncluded = false) double random) {
        Duration delay = schedule.delay(attempt, random);

        assertThat(delay).isGreaterThanOrEqualTo(Duration.ZERO).isLessThanOrEqualTo(schedule.ceiling(attempt));
        assertThat(schedule.ceiling(attempt)).isLessThanOrEqualTo(schedule.cap()).isGreaterThanOrEqualTo(schedule.base());
    }

    @Property
    void ceilingsGrowWithTheAttemptUntilTheCapAndStayThere(@ForAll("schedules") RetrySchedule schedule,
            @ForAll @IntRange(min = 1, max = 199) int attempt) {
        Duration now = schedule.ceiling(attempt);
        Duration next = schedule.ceiling(attempt + 1);

        assertThat(next).isGreaterThanOrEqualTo(now);
        if (now.equals(schedule.cap())) {
            assertThat(next).isEqualTo(schedule.cap());
        }
    }

    @Property
    void theFirstCeilingIsTheBaseAndEachFollowsTheFactorUntilTheCap(@ForAll("schedules") RetrySchedule schedule,
            @ForAll @IntRange(min = 1, max = 30) int attempt) {
        double expected = Math.min(schedule.cap().toMillis(), schedule.base().toMillis() * Math.pow(schedule.factor(), attempt - 1));

        assertThat(schedule.ceiling(1)).isEqualTo(schedule.base());
        assertThat((double) schedule.ceiling(attempt).toMillis()).isCloseTo(expected, Offset.offset(1.0));
    }

    @Property
    void jitterCoversTheWholeRange(@ForAll("schedules") RetrySchedule schedule, @ForAll @IntRange(min = 1, max = 20) int attempt) {
        long ceiling = schedule.ceiling(attempt).toMillis();

        assertThat(schedule.delay(attempt, 0.0)).isEqualTo(Duration.ZERO);
        assertThat(schedule.delay(attempt, Math.nextDown(1.0)).toMillis()).isBetween(ceiling - 1, ceiling);
        assertThat(schedule.delay(attempt, 0.5).toMillis()).isEqualTo((long) Math.floor(ceiling * 0.5));
    }

    @Property
    void exactlyTheConfiguredNumberOfAttemptsIsRetriedAndAttemptNumbersOnlyGoUp(@ForAll("schedules") RetrySchedule schedule) {
        int attempt = 1;
        int retried = 0;
        while (schedule.retriesAfter(attempt)) {
            int next = attempt + 1;
            assertThat(next).isGreaterThan(attempt);
            attempt = next;
            retried++;
        }

        assertThat(retried).isEqualTo(schedule.retries());
        assertThat(attempt).isEqualTo(schedule.retries() + 1);
    }

    @Provide
    Arbitrary<RetrySchedule> schedules() {
        Arbitrary<Integer> retries = Arbitraries.integers().between(0, 10);
        Arbitrary<Long> baseMillis = Arbitraries.longs().between(1, 10_000);
        Arbitrary<Double> factor = Arbitraries.doubles().between(1.0, 5.0);
        Arbitrary<Long> extraCapMillis = Arbitraries.longs().between(0, 600_000);
        return Combinators.combine(retries, baseMillis, factor, extraCapMillis)
                .as((r, base, f, extra) -> new RetrySchedule(r, Duration.ofMillis(base), f, Duration.ofMillis(base + extra)));
    }
}
