package dev.spool.ingest.security;

import dev.spool.ingest.auth.CallerAuthentication;
import dev.spool.ingest.config.AuthProperties;
import dev.spool.ingest.config.CorsProperties;
import dev.spool.ingest.idempotency.IdempotencyKeys;
import dev.spool.ingest.ratelimit.UploadRateLimitFilter;
import dev.spool.ingest.tus.TusHeaders;
import dev.spool.ingest.web.ProblemSecurityHandlers;
import java.util.ArrayList;
import java.util.List;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.reactive.EnableWebFluxSecurity;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import org.springframework.security.web.server.savedrequest.NoOpServerRequestCache;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.reactive.CorsConfigurationSource;
import org.springframework.web.cors.reactive.UrlBasedCorsConfigurationSource;
import reactor.core.publisher.Mono;

/**
 * Stateless bearer-token security: every API call needs a valid JWT; health, info, metrics, the API index, the
 * service level's banner and the web page with its static files are public; every refusal is written as problem
 * details by the web layer's handlers. It knows every door of the service, so it lives apart from the packages it
 * names (auth, web, tus, rate limits, idempotency), none of which depends on it.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebFluxSecurity
@EnableConfigurationProperties({AuthProperties.class, CorsProperties.class})
public class SecurityConfiguration {

    private static final String[] PUBLIC_PATHS = {
        "/", "/app/**", "/vendor/**", "/favicon.svg", "/api", "/api/openapi.yaml", "/api/v1/service-level",
        "/actuator/health",
        "/actuator/health/**", "/actuator/info", "/actuator/prometheus"};

    /**
     * The page loads only its own scripts and styles and talks only to this server, so an injected script or a
     * framing site gets nowhere.
     */
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
            + "frame-ancestors 'none'";

    @Bean
    SecurityWebFilterChain securityWebFilterChain(ServerHttpSecurity http, ReactiveJwtDecoder decoder,
            ProblemSecurityHandlers problems, CorsProperties cors) {
        return http
                .cors(spec -> spec.configurationSource(corsSource(cors)))
                .headers(headers -> headers.contentSecurityPolicy(csp -> csp.policyDirectives(CONTENT_SECURITY_POLICY)))
                .csrf(ServerHttpSecurity.CsrfSpec::disable)
                .httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
                .formLogin(ServerHttpSecurity.FormLoginSpec::disable)
                .logout(ServerHttpSecurity.LogoutSpec::disable)
                .securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
                .requestCache(cache -> cache.requestCache(NoOpServerRequestCache.getInstance()))
                .authorizeExchange(exchanges -> exchanges
                        .pathMatchers(HttpMethod.GET, PUBLIC_PATHS).permitAll()
                        // tus clients discover the server's extensions and limits before they authenticate.
                        .pathMatchers(HttpMethod.OPTIONS, "/api/v1/tus", "/api/v1/tus/**").permitAll()
                        .anyExchange().authenticated())
                .oauth2ResourceServer(server -> server
                        .jwt(jwt -> jwt.jwtDecoder(decoder)
                                .jwtAuthenticationConverter(token -> Mono.just(CallerAuthentication.of(token))))
                        .authenticationEntryPoint(problems)
                        .accessDeniedHandler(problems))
                .exceptionHandling(handling -> handling
                        .authenticationEntryPoint(problems)
                        .accessDeniedHandler(problems))
                .build();
    }

    /**
     * CORS for {@code /api/**} when origins are configured: bearer tokens, not cookies, so no credentials; every
     * header a tus client, the rate limits and the completion headers need is allowed or exposed.
     */
    static CorsConfigurationSource corsSource(CorsProperties cors) {
        UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
        if (cors.allowedOrigins().isEmpty()) {
            return source;
        }
        CorsConfiguration configuration = new CorsConfiguration();
        configuration.setAllowedOriginPatterns(cors.allowedOrigins());
        configuration.setAllowedMethods(List.of("GET", "HEAD", "POST", "PATCH", "DELETE", "OPTIONS"));
        List<String> requestHeaders = new ArrayList<>(List.of(HttpHeaders.AUTHORIZATION, HttpHeaders.CONTENT_TYPE,
                IdempotencyKeys.HEADER, "Last-Event-ID", "X-Requested-With"));
        requestHeaders.addAll(TusHeaders.REQUEST_HEADERS);
        configuration.setAllowedHeaders(requestHeaders);
        List<String> exposed = new ArrayList<>(List.of(HttpHeaders.LOCATION, HttpHeaders.RETRY_AFTER,
                IdempotencyKeys.REPLAYED_HEADER));
        exposed.addAll(TusHeaders.RESPONSE_HEADERS);
        exposed.addAll(UploadRateLimitFilter.RESPONSE_HEADERS);
        configuration.setExposedHeaders(exposed);
        configuration.setAllowCredentials(false);
        configuration.setMaxAge(cors.maxAge());
        source.registerCorsConfiguration("/api/**", configuration);
        return source;
    }

    @Bean
    ReactiveJwtDecoder jwtDecoder(AuthProperties auth) {
        NimbusReactiveJwtDecoder decoder = auth.usesJwks()
                ? NimbusReactiveJwtDecoder.withJwkSetUri(auth.jwksUri().toString())
                        .jwsAlgorithm(SignatureAlgorithm.RS256)
                        .build()
                : NimbusReactiveJwtDecoder.withSecretKey(new SecretKeySpec(auth.secretBytes(), "HmacSHA256"))
                        .macAlgorithm(MacAlgorithm.HS256)
                        .build();
        decoder.setJwtValidator(validator());
        return decoder;
    }

    /** Expiry and not-before as usual, plus a subject: every job is owned by the token's {@code sub}. */
    static OAuth2TokenValidator<Jwt> validator() {
        return new DelegatingOAuth2TokenValidator<>(
                JwtValidators.createDefault(),
                new JwtClaimValidator<String>(JwtClaimNames.SUB, sub -> sub != null && !sub.isBlank()));
    }
}
