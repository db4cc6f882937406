package dev.spool.ingest;

import dev.spool.testsupport.architecture.PackageCycles;
import org.junit.jupiter.api.Test;

/** No package of this module depends on itself through others; a new cycle fails the build here. */
class PackageCyclesTest {

    @Test
    void mainCodeHasNoPackageCycle() {
        PackageCycles.assertNone("dev.spool.ingest");
    }
}
