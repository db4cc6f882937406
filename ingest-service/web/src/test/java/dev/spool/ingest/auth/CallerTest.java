package dev.spool.ingest.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spool.ingest.problem.ProblemCode;
import dev.spool.ingest.problem.SpoolProblem;
import dev.spool.schemas.event.Priority;
import java.util.List;
import org.junit.jupiter.api.Test;

class CallerTest {

    @Test
    void premiumTierIsHighAndEverythingElseIsNormal() {
        assertThat(Caller.tierOf("premium")).isEqualTo(Priority.HIGH);
        assertThat(Caller.tierOf(" Premium ")).isEqualTo(Priority.HIGH);
        assertThat(Caller.tierOf("standard")).isEqualTo(Priority.NORMAL);
        assertThat(Caller.tierOf(null)).isEqualTo(Priority.NORMAL);
        assertThat(Caller.tierOf("platinum")).isEqualTo(Priority.NORMAL);
        assertThat(Caller.tierOf(List.of("premium"))).isEqualTo(Priority.NORMAL);
    }

    @Test
    void adminRoleIsReadFromAListOrASingleValue() {
        assertThat(Caller.hasAdminRole(List.of("user", "admin"))).isTrue();
        assertThat(Caller.hasAdminRole("admin")).isTrue();
        assertThat(Caller.hasAdminRole(List.of("administrator"))).isFalse();
        assertThat(Caller.hasAdminRole(null)).isFalse();
    }

    @Test
    void ownersAndAdminsMayReadAJob() {
        assertThat(new Caller("alice", Priority.NORMAL, false).mayRead("alice")).isTrue();
        assertThat(new Caller("bob", Priority.NORMAL, false).mayRead("alice")).isFalse();
        assertThat(new Caller("root", Priority.HIGH, true).mayRead("alice")).isTrue();
    }

    @Test
    void onlyAnAdminPassesTheOperatorsCheckAndOthersAreToldWhy() {
        assertThatCode(() -> new Caller("root", Priority.HIGH, true).requireAdmin("For operators.")).doesNotThrowAnyException();
        assertThatThrownBy(() -> new Caller("alice", Priority.HIGH, false).requireAdmin("For operators."))
                .isInstanceOfSatisfying(SpoolProblem.class, problem -> {
                    assertThat(problem.code()).isEqualTo(ProblemCode.FORBIDDEN);
                    assertThat(problem.detail()).isEqualTo("For operators.");
                });
    }
}
