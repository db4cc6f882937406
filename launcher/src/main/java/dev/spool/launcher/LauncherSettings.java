package dev.spool.launcher;

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
 */
record LauncherSettings(Path dataDir, int httpPort, String jwtSecret) {

    private static final int SECRET_BYTES = 48;

    static LauncherSettings fromEnvironment(Map<String, String> env) {
        Path dataDir = Path.of(env.getOrDefault("SPOOL_DATA_DIR", ".spool-data")).toAbsolutePath().normalize();
        int httpPort = Integer.parseInt(env.getOrDefault("SPOOL_HTTP_PORT", "8080"));
        String secret = env.get("SPOOL_AUTH_JWT_SECRET");
        if (secret == null || secret.isBlank()) {
            secret = storedSecret(dataDir);
        }
        return new LauncherSettings(dataDir, httpPort, secret);
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
