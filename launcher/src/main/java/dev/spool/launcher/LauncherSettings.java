package dev.spool.launcher;

import dev.spool.infra.InfraSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What the launcher needs before any server starts: where data lives, the HTTP port, the JWT secret and which
 * services to run.
 * Read from environment variables so that the quick-start command needs no arguments.
 *
 * @param dataDir every server's data lives below it ({@code SPOOL_DATA_DIR}, default {@code ./.spool-data})
 * @param httpPort ingest-service HTTP port ({@code SPOOL_HTTP_PORT}, default 8080)
 * @param jwtSecret HS256 secret ({@code SPOOL_AUTH_JWT_SECRET}); when unset, one is generated once and kept in
 *     the data folder so that printed tokens stay valid across restarts
 * @param infra the embedded servers: data under {@code dataDir}, ports from {@code SPOOL_KAFKA_PORT} (9092),
 *     {@code SPOOL_KAFKA_CONTROLLER_PORT} (9093), {@code SPOOL_S3_PORT} (9000), {@code SPOOL_MONGO_PORT} (27017) and
 *     {@code SPOOL_REDIS_PORT} (6379)
 * @param services the services to run ({@code SPOOL_SERVICES}, a comma list of {@code ingest}, {@code processor}
 *     and {@code projection}; default all three); the embedded servers always start
 * @param processorPort port of the processor's health and metrics ({@code SPOOL_PROCESSOR_PORT}, default 8081);
 *     negative for none
 * @param projectionPort port of the projection's health and metrics ({@code SPOOL_PROJECTION_PORT}, default
 *     8082); negative for none
 */
record LauncherSettings(Path dataDir, int httpPort, String jwtSecret, InfraSettings infra, Set<Service> services,
        int processorPort, int projectionPort) {

    /** Settings without health and metrics ports for the processor and the projection, as tests start them. */
    LauncherSettings(Path dataDir, int httpPort, String jwtSecret, InfraSettings infra, Set<Service> services) {
        this(dataDir, httpPort, jwtSecret, infra, services, -1, -1);
    }

    /** One of the three services the launcher can run, named as in {@code SPOOL_SERVICES}. */
    enum Service {
        INGEST, PROCESSOR, PROJECTION;

        String key() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private static final int SECRET_BYTES = 48;

    static LauncherSettings fromEnvironment(Map<String, String> env) {
        Path dataDir = Path.of(env.getOrDefault("SPOOL_DATA_DIR", ".spool-data")).toAbsolutePath().normalize();
        int httpPort = 8080;
        String secret = env.get("SPOOL_AUTH_JWT_SECRET");
        if (secret == null || secret.isBlank()) {
            secret = storedSecret(dataDir);
        }
        InfraSettings defaults = InfraSettings.forLauncher(dataDir);
        InfraSettings infra = defaults.withPorts(
                port(env, "SPOOL_KAFKA_PORT", defaults.kafkaPort()),
                port(env, "SPOOL_KAFKA_CONTROLLER_PORT", defaults.kafkaControllerPort()),
                port(env, "SPOOL_S3_PORT", defaults.s3Port()),
                port(env, "SPOOL_MONGO_PORT", defaults.mongoPort()),
                port(env, "SPOOL_REDIS_PORT", defaults.redisPort()));
        return new LauncherSettings(dataDir, port(env, "SPOOL_HTTP_PORT", httpPort), secret, infra,
                services(env.get("SPOOL_SERVICES")), port(env, "SPOOL_PROCESSOR_PORT", 8081),
                port(env, "SPOOL_PROJECTION_PORT", 8082));
    }

    LauncherSettings {
        services = Collections.unmodifiableSet(services.isEmpty() ? EnumSet.noneOf(Service.class) : EnumSet.copyOf(services));
    }

    /** A typo must stop the launcher: silently running fewer services than asked for looks like a broken pipeline. */
    static Set<Service> services(String list) {
        if (list == null || list.isBlank()) {
            return EnumSet.allOf(Service.class);
        }
        Set<Service> services = EnumSet.noneOf(Service.class);
        for (String item : list.split(",")) {
            String key = item.trim().toLowerCase(Locale.ROOT);
            if (key.isEmpty()) {
                continue;
            }
            services.add(Arrays.stream(Service.values())
                    .filter(service -> service.key().equals(key))
                    .findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("SPOOL_SERVICES: unknown service '" + item.trim()
                            + "'; choose from " + Arrays.stream(Service.values()).map(Service::key)
                            .collect(Collectors.joining(", ")))));
        }
        if (services.isEmpty()) {
            throw new IllegalArgumentException("SPOOL_SERVICES names no service: '" + list + "'");
        }
        return services;
    }

    private static int port(Map<String, String> env, String name, int fallback) {
        String value = env.get(name);
        return value == null || value.isBlank() ? fallback : Integer.parseInt(value.trim());
    }

    private static String storedSecret(Path dataDir) {
        Path file = dataDir.resolve("jwt-secret");
        try {
            if (Files.exists(file)) {
                return Files.readString(file, StandardCharsets.UTF_8).trim();
            }
            Files.createDirectories(dataDir);
            byte[] random = new byte[SECRET_BYTES];
            new SecureRandom().nextBytes(random);
            String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
            Files.writeString(file, secret, StandardCharsets.UTF_8);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            return secret;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the JWT secret at " + file, e);
        }
    }
}
