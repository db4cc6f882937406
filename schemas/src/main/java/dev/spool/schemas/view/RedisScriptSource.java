package dev.spool.schemas.view;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Reads a Lua script of the live views from the classpath, once: a script backed by a resource asks, on every call,
 * whether the resource changed, and inside the launcher's nested jar that lookup was most of the live writer's CPU.
 */
final class RedisScriptSource {

    private RedisScriptSource() {
    }

    static String read(String name) {
        try (InputStream lua = RedisScriptSource.class.getResourceAsStream(name)) {
            if (lua == null) {
                throw new IllegalStateException("the Redis script " + name + " is missing from the classpath");
            }
            return new String(lua.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the Redis script " + name, e);
        }
    }
}
