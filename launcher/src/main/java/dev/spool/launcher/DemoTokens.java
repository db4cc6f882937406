package dev.spool.launcher;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;

/** Mints the two ready-to-use bearer tokens the launcher prints: a demo user and an administrator. */
final class DemoTokens {

    static final String DEMO_USER = "demo-user";
    static final String ADMIN_USER = "demo-admin";
    private static final Duration VALIDITY = Duration.ofDays(30);

    private final byte[] secret;

    DemoTokens(String secret) {
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
    }

    String demoUser(Instant now) {
        return mint(DEMO_USER, "standard", List.of(), now);
    }

    String admin(Instant now) {
        return mint(ADMIN_USER, "premium", List.of("admin"), now);
    }

    String mint(String subject, String tier, List<String> roles, Instant now) {
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .subject(subject)
                .claim("tier", tier)
                .claim("roles", roles)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(VALIDITY)))
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
        try {
            jwt.sign(new MACSigner(secret));
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign a demo token; is the secret at least 32 bytes?", e);
        }
        return jwt.serialize();
    }
}
