package dev.spool.ingest.web;

import dev.spool.ingest.auth.JwtIssuer;
import dev.spool.ingest.config.StatusProperties;
import dev.spool.ingest.jobs.JobViewJson;
import dev.spool.ingest.security.SecurityConfiguration;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.webflux.test.autoconfigure.WebFluxTest;
import org.springframework.context.annotation.Import;
import org.springframework.core.annotation.AliasFor;

/** A WebFlux slice with the real security chain and problem rendering, verifying tokens with a fixed secret. */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@WebFluxTest(properties = "spool.auth.jwt-secret=" + JwtIssuer.SLICE_SECRET)
@Import({SecurityConfiguration.class, ProblemRenderer.class, ProblemSecurityHandlers.class, JobViewJson.class})
@EnableConfigurationProperties(StatusProperties.class)
public @interface WebSliceTest {

    /** The controllers under test. */
    @AliasFor(annotation = WebFluxTest.class, attribute = "controllers")
    Class<?>[] value() default {};
}
