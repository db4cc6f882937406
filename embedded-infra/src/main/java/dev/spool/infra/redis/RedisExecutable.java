package dev.spool.infra.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;

/**
 * Finds a real redis-server: the system's (Debian's 7.x) when on the PATH, else the Linux binary bundled in the
 * embedded-redis jar, copied out once into the data folder.
 */
final class RedisExecutable {

    private static final String BUNDLED = "/redis-server-6.2.6-v5-linux-amd64";

    private RedisExecutable() {
    }

    static Path locate(Path workDir) {
        String path = System.getenv().getOrDefault("PATH", "");
        return Stream.of(path.split(java.io.File.pathSeparator))
                .map(dir -> Path.of(dir, "redis-server"))
                .filter(Files::isExecutable)
                .findFirst()
                .orElseGet(() -> extractBundled(workDir));
    }

    private static Path extractBundled(Path workDir) {
        Path target = workDir.resolve("bin/redis-server");
        if (Files.isExecutable(target)) {
            return target;
        }
        try (InputStream in = RedisExecutable.class.getResourceAsStream(BUNDLED)) {
            if (in == null) {
                throw new IllegalStateException("no redis-server on the PATH and none bundled; install redis-server");
            }
            Files.createDirectories(target.getParent());
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
            if (!target.toFile().setExecutable(true)) {
                throw new IllegalStateException("cannot make " + target + " executable");
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
