package dev.spool.infra;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.ArchConfiguration;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * No package of this module depends on itself through others. The shared check ({@code PackageCycles}) lives in
 * test-support, which builds on this module, so this one is spelled out.
 */
class PackageCyclesTest {

    @Test
    void mainCodeHasNoPackageCycle() {
        ArchConfiguration.withThreadLocalScope(configuration -> {
            configuration.setResolveMissingDependenciesFromClassPath(false);
            JavaClasses classes = new ClassFileImporter().importPath(Path.of("target", "classes"));
            assertThat(classes).as("compiled main classes").isNotEmpty();
            slices().matching("dev.spool.(**)").should().beFreeOfCycles().check(classes);
        });
    }
}
