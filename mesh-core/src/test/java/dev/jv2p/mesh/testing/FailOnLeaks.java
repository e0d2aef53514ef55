package dev.jv2p.mesh.testing;

import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test class when Netty's leak detector reported a leak while it ran (or since the
 * class before it). Registered for every test class of a module that has mesh-core's test jar
 * on its test class path, through {@code META-INF/services} and JUnit's extension
 * auto-detection (turned on for surefire and failsafe in the parent pom). Loading this class
 * installs the {@link LeakRecorder}, which JUnit does before it runs any test.
 */
public final class FailOnLeaks implements BeforeAllCallback, AfterAllCallback {
    static {
        LeakRecorder.install();
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        if (!LeakRecorder.watchesBuffers()) {
            throw new IllegalStateException("Netty's buffer leak detector was created before LeakRecorder was "
                    + "installed, so leaks would go unnoticed");
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws InterruptedException {
        LeakRecorder.collect();
        List<String> leaks = LeakRecorder.drain();
        if (!leaks.isEmpty()) {
            throw new AssertionError(leaks.size() + " Netty leak(s) reported during or before "
                    + context.getDisplayName() + ":\n" + String.join("\n", leaks));
        }
    }
}
