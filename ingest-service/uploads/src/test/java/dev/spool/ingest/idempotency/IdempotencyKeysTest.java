package dev.spool.ingest.idempotency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spool.ingest.problem.ProblemCode;
import dev.spool.ingest.problem.SpoolProblem;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IdempotencyKeysTest {

    @Test
    void anAbsentKeyIsNoKey() {
        assertThat(IdempotencyKeys.validate(null)).isNull();
    }

    @Test
    void acceptsVisibleAsciiUpTo255Characters() {
        String uuid = UUID.randomUUID().toString();
        assertThat(IdempotencyKeys.validate(uuid)).isEqualTo(uuid);
        assertThat(IdempotencyKeys.validate("k".repeat(255))).hasSize(255);
        assertThat(IdempotencyKeys.validate("!~")).isEqualTo("!~");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "with space", "tab\tkey", "caf\u00e9", "\u0000", "del\u007f", "emoji\uD83D\uDD11"})
    void refusesEmptyInvisibleAndNonAsciiKeys(String key) {
        assertInvalid(key);
    }

    @Test
    void refusesKeysLongerThan255Characters() {
        assertInvalid("k".repeat(256));
    }

    private static void assertInvalid(String key) {
        assertThatThrownBy(() -> IdempotencyKeys.validate(key))
                .isInstanceOfSatisfying(SpoolProblem.class,
                        problem -> assertThat(problem.code()).isEqualTo(ProblemCode.INVALID_IDEMPOTENCY_KEY));
    }
}
