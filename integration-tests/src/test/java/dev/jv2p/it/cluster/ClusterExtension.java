package dev.jv2p.it.cluster;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts clusters for a test and removes them after it, keeping their logs in
 * {@code target/cluster-logs/<class>/<test>/}. The node image is built once per test run and
 * removed when the run ends (it lives in the root context's store).
 *
 * <pre>{@code
 * @RegisterExtension final ClusterExtension clusters = new ClusterExtension();
 * ...
 * Cluster c = clusters.start(Cluster.builder().nodes(5));
 * }</pre>
 */
public final class ClusterExtension implements BeforeEachCallback, AfterEachCallback {
    static final String LOG_DIR_PROPERTY = "jv2p.it.logDir";

    private final List<Cluster> clusters = new ArrayList<>();
    private NodeImage image;
    private Path logDir;

    @Override
    public void beforeEach(ExtensionContext context) {
        image = context.getRoot()
                .getStore(ExtensionContext.Namespace.create(ClusterExtension.class))
                .getOrComputeIfAbsent(NodeImage.class, k -> NodeImage.build(), NodeImage.class);
        logDir = Paths.get(System.getProperty(LOG_DIR_PROPERTY, "target/cluster-logs"))
                .resolve(context.getRequiredTestClass().getSimpleName())
                .resolve(safe(context.getRequiredTestMethod().getName() + "-" + context.getDisplayName()));
    }

    /** Starts a cluster that is removed after the test. */
    public Cluster start(Cluster.Builder builder) {
        Path dir = clusters.isEmpty() ? logDir : logDir.resolve("cluster-" + clusters.size());
        Cluster c = builder.logDir(dir).start(image);
        clusters.add(c);
        return c;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        for (Cluster c : clusters) {
            c.close();
        }
        clusters.clear();
    }

    private static String safe(String s) {
        String t = s.replaceAll("[^A-Za-z0-9._=-]+", "_");
        return t.length() > 100 ? t.substring(0, 100) : t;
    }
}
