package dev.spool.ingest.upload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spool.ingest.problem.ProblemCode;
import dev.spool.ingest.problem.SpoolProblem;
import dev.spool.schemas.event.Priority;
import org.junit.jupiter.api.Test;

class TierPolicyTest {

    @Test
    void noRequestKeepsTheCallersTier() {
        assertThat(TierPolicy.choose(Priority.HIGH, null)).isEqualTo(Priority.HIGH);
        assertThat(TierPolicy.choose(Priority.NORMAL, " ")).isEqualTo(Priority.NORMAL);
    }

    @Test
    void callersMayAskForTheirOwnTierOrALowerOne() {
        assertThat(TierPolicy.choose(Priority.HIGH, "high")).isEqualTo(Priority.HIGH);
        assertThat(TierPolicy.choose(Priority.HIGH, "normal")).isEqualTo(Priority.NORMAL);
        assertThat(TierPolicy.choose(Priority.NORMAL, "LOW")).isEqualTo(Priority.LOW);
    }

    @Test
    void askingForAHigherTierIsRefused() {
        assertThatThrownBy(() -> TierPolicy.choose(Priority.NORMAL, "high"))
                .isInstanceOfSatisfying(SpoolProblem.class, problem -> {
                    assertThat(problem.code()).isEqualTo(ProblemCode.PRIORITY_NOT_ALLOWED);
                    assertThat(problem.detail()).contains("normal or lower");
                });
        assertThatThrownBy(() -> TierPolicy.choose(Priority.LOW, "normal"))
                .isInstanceOfSatisfying(SpoolProblem.class,
                        problem -> assertThat(problem.code()).isEqualTo(ProblemCode.PRIORITY_NOT_ALLOWED));
    }

    @Test
    void anUnknownTierIsInvalid() {
        assertThatThrownBy(() -> TierPolicy.choose(Priority.HIGH, "urgent"))
                .isInstanceOfSatisfying(SpoolProblem.class,
                        problem -> assertThat(problem.code()).isEqualTo(ProblemCode.INVALID_PRIORITY));
    }
}
