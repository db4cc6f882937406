package dev.spool.ingest.config;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Cross-origin access to {@code /api/**} for browser clients served from another origin (an Uppy or tus-js-client
 * page elsewhere). Off by default: the web page Spool serves itself is same-origin and needs none.
 *
 * @param allowedOrigins origins allowed to call the API, e.g. {@code https://app.example.com}; patterns such as
 *     {@code https://*.example.com} work; empty turns CORS off
 * @param maxAge how long browsers may cache a preflight answer
 */
@Validated
@ConfigurationProperties("spool.ingest.cors")
public record CorsProperties(
        @NotNull @DefaultValue({}) List<String> allowedOrigins,
        @NotNull @DefaultValue("10m") Duration maxAge) {
}
