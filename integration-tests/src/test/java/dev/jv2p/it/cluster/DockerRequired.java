package dev.jv2p.it.cluster;

import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;

/**
 * Runs container tests only where Docker works. Without Docker they are skipped with a reason,
 * except when the environment variable {@code CI} is set: then they fail, because a skipped
 * suite must never pass for a green one. Registered before {@code @Testcontainers(disabledWithoutDocker
 * = true)} by {@link ClusterTest}, whose condition would otherwise skip silently under CI too.
 */
final class DockerRequired implements ExecutionCondition {
    private static final AtomicBoolean REPORTED = new AtomicBoolean();

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        String problem = problem();
        if (problem == null) {
            return ConditionEvaluationResult.enabled("Docker is available");
        }
        if (System.getenv("CI") != null) {
            throw new IllegalStateException(problem + ": the container tests cannot run, and with CI set they must"
                    + " (.ci/run installs and starts Docker; see CONTRIBUTING.md, Container tests)");
        }
        String reason = problem + ": container tests skipped (with CI set they fail instead)";
        if (REPORTED.compareAndSet(false, true)) {
            LoggerFactory.getLogger(DockerRequired.class).warn(reason); // Maven's summary shows no reasons
        }
        return ConditionEvaluationResult.disabled(reason);
    }

    /** Why Docker cannot be used, or {@code null} if it can. */
    private static String problem() {
        try {
            return DockerClientFactory.instance().isDockerAvailable()
                    ? null
                    : "Docker is not available (no engine answers at DOCKER_HOST or the default socket)";
        } catch (RuntimeException e) {
            return "Docker does not work here (" + e + ")";
        }
    }
}
