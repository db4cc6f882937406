package dev.spool.ingest;

import dev.spool.testsupport.SharedInfra;
import java.util.UUID;
import org.springframework.test.context.DynamicPropertyRegistry;

/** Points a Spring test context at the shared embedded servers. */
public final class TestInfra {

    private TestInfra() {
    }

    /**
     * Registers the servers, the JWT secret, and rate-limit buckets of this context's own: Redis outlives a context
     * and a bucket keeps the limits it was created with, so contexts sharing keys would limit each other.
     */
    public static void register(DynamicPropertyRegistry registry, String jwtSecret) {
        SharedInfra.get().springProperties().forEach((key, value) -> registry.add(key, () -> value));
        registry.add("spool.auth.jwt-secret", () -> jwtSecret);
        String prefix = "spool:test:" + UUID.randomUUID() + ":ratelimit:";
        registry.add("spool.ratelimit.key-prefix", () -> prefix);
        // Every cached context stops its Netty resources when the JVM exits; the default 2 s quiet period each adds
        // up past Surefire's 30 s exit allowance.
        registry.add("spring.reactor.netty.shutdown-quiet-period", () -> "0s");
    }
}
