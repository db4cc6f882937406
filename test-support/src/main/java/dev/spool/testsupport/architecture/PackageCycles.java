package dev.spool.testsupport.architecture;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.ArchConfiguration;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Fails when the main code under a package depends on itself through other packages: every package of a module,
 * its root included, is a slice of its own, and no slice may reach itself again. Each module runs it in a test of
 * its own, so that a new cycle fails that module's build where it is made.
 */
public final class PackageCycles {

    /** Where Maven compiles a module's main code, relative to the module, which is where Surefire runs its tests. */
    private static final Path MAIN_CLASSES = Path.of("target", "classes");

    private PackageCycles() {
    }

    /**
     * Checks this module's main classes under {@code rootPackage}, as compiled.
     *
     * @throws AssertionError naming each cycle and the dependencies that make it
     */
    public static void assertNone(String rootPackage) {
        assertNone(compiled(MAIN_CLASSES, rootPackage), rootPackage);
    }

    /** The classes under {@code rootPackage} in a folder of class files, without the libraries they use. */
    static JavaClasses compiled(Path folder, String rootPackage) {
        if (!Files.isDirectory(folder)) {
            throw new AssertionError("no compiled classes in " + folder.toAbsolutePath() + ": nothing was checked");
        }
        return ArchConfiguration.withThreadLocalScope(configuration -> {
            // A cycle runs through the module's own classes only: reading every library they use would take seconds.
            configuration.setResolveMissingDependenciesFromClassPath(false);
            return new ClassFileImporter().importPath(folder).that(resideInAPackage(rootPackage + ".."));
        });
    }

    static void assertNone(JavaClasses classes, String rootPackage) {
        if (classes.isEmpty()) {
            throw new AssertionError("no classes under " + rootPackage + ": nothing was checked");
        }
        slices().matching(parent(rootPackage) + ".(**)").should().beFreeOfCycles().check(classes);
    }

    /** {@code dev.spool} for {@code dev.spool.ingest}: slices named from the module's root on. */
    private static String parent(String rootPackage) {
        return rootPackage.substring(0, rootPackage.lastIndexOf('.'));
    }
}
