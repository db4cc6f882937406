package dev.spool.ingest.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;

/** Mints HS256 bearer tokens for tests, shaped like the ones the launcher prints. */
public final class JwtIssuer {

    /** A fixed secret for slice tests, long enough for HS256. */
    public static final String SLICE_SECRET = "slice-test-secret-that-is-comfortably-over-32-bytes";

    private final byte[] secret;

    public JwtIssuer(String secret) {
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
    }

    /** A fresh random secret of 48 bytes, Base64url-encoded as the launcher generates it. */
    public static String randomSecret() {
        byte[] random = new byte[48];
        new SecureRandom().nextBytes(random);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }

    /** A token valid for an hour; {@code tier} may be {@code null} to leave the claim out. */
    public String token(String subject, String tier, List<String> roles) {
        return sign(subject, tier, roles, Instant.now().plus(Duration.ofHours(1)));
    }

    /** A standard-tier user without roles. */
    public String user(String subject) {
        return token(subject, "standard", List.of());
    }

    /** A token that expired ten minutes ago. */
    public String expired(String subject) {
        return sign(subject, "standard", List.of(), Instant.now().minus(Duration.ofMinutes(10)));
    }

    private String sign(String subject, String tier, List<String> roles, Instant expiresAt) {
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .subject(subject)
                .claim("roles", roles)
                .issueTime(Date.from(expiresAt.minus(Duration.ofHours(1))))
                .expirationTime(Date.from(expiresAt));
        if (tier != null) {
            claims.claim("tier", tier);
        }
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims.build());
        try {
            jwt.sign(new MACSigner(secret));
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign a test token", e);
        }
        return jwt.serialize();
    }
}
