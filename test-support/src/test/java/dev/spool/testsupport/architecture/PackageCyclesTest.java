package dev.spool.testsupport.architecture;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The cycle check fails on a cycle, passes without one, and refuses to pass having checked nothing. */
class PackageCyclesTest {

    private static final String CYCLIC = "dev.spool.testsupport.architecture.cyclic";
    private static final String ACYCLIC = "dev.spool.testsupport.architecture.acyclic";

    @Test
    void twoPackagesThatUseEachOtherFail() {
        assertThatThrownBy(() -> PackageCycles.assertNone(fixtures(CYCLIC), CYCLIC))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("cyclic.orders")
                .hasMessageContaining("cyclic.billing");
    }

    @Test
    void dependenciesInOneDirectionPass() {
        assertThatCode(() -> PackageCycles.assertNone(fixtures(ACYCLIC), ACYCLIC))
                .doesNotThrowAnyException();
    }

    @Test
    void aPackageWithoutClassesIsNotReportedAsChecked() {
        assertThatThrownBy(() -> PackageCycles.assertNone("dev.spool.nothing.here"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("nothing was checked");
    }

    private static JavaClasses fixtures(String rootPackage) {
        return PackageCycles.compiled(Path.of("target", "test-classes"), rootPackage);
    }

    @Test
    void theTestSupportItselfHasNoCycle() {
        PackageCycles.assertNone("dev.spool.testsupport");
    }
}
