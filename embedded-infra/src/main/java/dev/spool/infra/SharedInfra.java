package dev.spool.infra;

/**
 * One set of embedded servers per test JVM, started on first use and stopped when the JVM exits, so that every
 * integration test class in a module shares them instead of paying the start-up again.
 */
public final class SharedInfra {

    private static SpoolInfra instance;

    private SharedInfra() {
    }

    public static synchronized SpoolInfra get() {
        if (instance == null) {
            SpoolInfra started = SpoolInfra.start(InfraSettings.forTests());
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "spool-infra-shutdown"));
            instance = started;
        }
        return instance;
    }
}
