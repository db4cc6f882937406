package dev.spool.ingest.config;

import jakarta.validation.constraints.AssertTrue;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * How bearer tokens are verified: HS256 with a shared secret, or RS256 against a JWKS endpoint when one is set.
 *
 * @param jwtSecret HS256 secret, at least 32 bytes in UTF-8 ({@code SPOOL_AUTH_JWT_SECRET}); used when no JWKS URI
 *     is set
 * @param jwksUri JWKS endpoint of an identity provider that signs tokens with RS256; takes precedence over the secret
 */
@Validated
@ConfigurationProperties("spool.auth")
public record AuthProperties(String jwtSecret, URI jwksUri) {

    /** HS256 keys shorter than the hash output weaken the MAC; Nimbus refuses them too. */
    public static final int MIN_SECRET_BYTES = 32;

    @AssertTrue(message = "set spool.auth.jwks-uri, or spool.auth.jwt-secret (SPOOL_AUTH_JWT_SECRET) of at least 32 bytes")
    public boolean isKeyConfigured() {
        return usesJwks() || jwtSecret != null && secretBytes().length >= MIN_SECRET_BYTES;
    }

    /** Whether tokens are verified against the JWKS endpoint rather than the shared secret. */
    public boolean usesJwks() {
        return jwksUri != null && !jwksUri.toString().isBlank();
    }

    /** The secret as key material: its UTF-8 bytes, as the launcher signs its demo tokens. */
    public byte[] secretBytes() {
        return jwtSecret.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "AuthProperties[jwtSecret=<hidden>, jwksUri=" + jwksUri + "]";
    }
}
