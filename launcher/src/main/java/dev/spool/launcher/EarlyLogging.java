package dev.spool.launcher;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * Log levels for the time before the first Spring context configures logging. The embedded servers start first,
 * and logback's own default (everything at DEBUG) would bury the console under S3Proxy and broker chatter.
 */
final class EarlyLogging {

    /** Also handed to every Spring context as {@code logging.level.*}, so the levels hold after it takes over. */
    static final Map<String, String> QUIET = Map.of(
            "org.gaul", "WARN",
            "org.jclouds", "WARN",
            "kafka", "WARN",
            "org.apache.kafka", "WARN",
            "state.change.logger", "WARN",
            "de.bwaldvogel", "WARN",
            "org.eclipse.jetty", "WARN");

    private EarlyLogging() {
    }

    static void apply() {
        if (!(LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext)) {
            return;
        }
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).setLevel(Level.INFO);
        QUIET.forEach((name, level) -> ((Logger) LoggerFactory.getLogger(name)).setLevel(Level.toLevel(level)));
    }
}
