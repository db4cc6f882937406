package dev.spool.testsupport;

import dev.spool.testsupport.containers.ContainerInfra;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Skips every test when the {@code testcontainers} profile asks for containers and no Docker engine answers, so the
 * profile ends cleanly (tests reported skipped, not failed) on machines without Docker. Registered through
 * {@code META-INF/services} and active only where the profile turns on JUnit's extension autodetection.
 */
public final class DockerCondition implements ExecutionCondition {

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        if (SharedInfra.usesContainers() && !ContainerInfra.isDockerAvailable()) {
            return ConditionEvaluationResult.disabled("No Docker engine answers here: the testcontainers profile "
                    + "skips its tests; run them where Docker runs, or without the profile on the embedded servers");
        }
        return ConditionEvaluationResult.enabled("servers available");
    }
}
