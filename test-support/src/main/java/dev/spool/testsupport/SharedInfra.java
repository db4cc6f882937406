package dev.spool.testsupport;

import dev.spool.infra.InfraEndpoints;
import dev.spool.infra.InfraSettings;
import dev.spool.infra.SpoolInfra;
import dev.spool.testsupport.containers.ContainerInfra;

/**
 * One set of servers per test JVM, started on first use and stopped when the JVM exits, so that every integration
 * test class in a module shares them instead of paying the start-up again: the embedded servers, or with
 * {@code -Dspool.infra=testcontainers} (the {@code testcontainers} Maven profile) the real products in containers.
 */
public final class SharedInfra {

    /** The system property that chooses the servers: {@code embedded} (default) or {@code testcontainers}. */
    public static final String SELECTOR = "spool.infra";
    public static final String TESTCONTAINERS = "testcontainers";

    private static InfraEndpoints instance;

    private SharedInfra() {
    }

    public static synchronized InfraEndpoints get() {
        if (instance == null) {
            if (usesContainers()) {
                ContainerInfra started = ContainerInfra.start();
                Runtime.getRuntime().addShutdownHook(new Thread(started::close, "spool-containers-shutdown"));
                instance = started;
            } else {
                SpoolInfra started = SpoolInfra.start(InfraSettings.forTests());
                Runtime.getRuntime().addShutdownHook(new Thread(started::close, "spool-infra-shutdown"));
                instance = started;
            }
        }
        return instance;
    }

    /** Whether this run asked for containers. */
    public static boolean usesContainers() {
        return TESTCONTAINERS.equals(System.getProperty(SELECTOR));
    }
}
