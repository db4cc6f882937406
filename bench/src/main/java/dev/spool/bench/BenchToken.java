package dev.spool.bench;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import tools.jackson.databind.json.JsonMapper;

/**
 * An HS256 bearer token with the claims ingest reads ({@code sub}, {@code tier}, {@code roles}), signed with the
 * JDK alone so that the bench needs no JWT library.
 */
final class BenchToken {

    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();
    private static final Duration VALIDITY = Duration.ofDays(1);

    private BenchToken() {
    }

    static String mint(String secret, JsonMapper json, Instant now) {
        return mint(secret, json, now, "bench");
    }

    /** A premium-tier token of user {@code subject}. */
    static String mint(String secret, JsonMapper json, Instant now, String subject) {
        return mint(secret, json, now, subject, "premium");
    }

    /** A token of user {@code subject} in {@code tier} ({@code premium} or {@code standard}). */
    static String mint(String secret, JsonMapper json, Instant now, String subject, String tier) {
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("alg", "HS256");
        header.put("typ", "JWT");
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("sub", subject);
        claims.put("tier", tier);
        claims.put("roles", List.of());
        claims.put("iat", now.getEpochSecond());
        claims.put("exp", now.plus(VALIDITY).getEpochSecond());
        String signingInput = BASE64URL.encodeToString(json.writeValueAsBytes(header)) + "."
                + BASE64URL.encodeToString(json.writeValueAsBytes(claims));
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return signingInput + "." + BASE64URL.encodeToString(mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
