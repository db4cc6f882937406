package dev.spool.launcher;

import dev.spool.infra.InfraSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;

/**
 * What the launcher needs before any server starts: where data lives, the HTTP port and the JWT secret.
 * Read from environment variables so that the quick-start command needs no arguments.
 *
 * @param dataDir every server's data lives below it ({@code SPOOL_DATA_DIR}, default {@code ./.spool-data})
 * @param httpPort ingest-service HTTP port ({@code SPOOL_HTTP_PORT}, default 8080)
 * @param jwtSecret HS256 secret ({@code SPOOL_AUTH_JWT_SECRET}); when unset, one is generated once and kept in
 *     the data folder so that printed tokens stay valid across restarts
 * @param infra the embedded servers: data under {@code dataDir}, ports from {@code SPOOL_KAFKA_PORT} (9092),
 *     {@code SPOOL_KAFKA_CONTROLLER_PORT} (9093), {@code SPOOL_S3_PORT} (9000), {@code SPOOL_MONGO_PORT} (27017) and
 *     {@code SPOOL_REDIS_PORT} (6379)
 */
record LauncherSettings(Path dataDir, int httpPort, String jwtSecret, InfraSettings infra) {

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
        return new LauncherSettings(dataDir, port(env, "SPOOL_HTTP_PORT", httpPort), secret, infra);
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
