package dev.jv2p.it.cluster;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.core.ConditionTimeoutException;

/** Waits for a cluster to agree on what its acknowledged writes must give, or fails saying how it does not. */
final class Agreement {
    private Agreement() {}

    /**
     * Waits until every node holds the same dictionary and it is what {@code log}'s writes give
     * under the merge rule; returns how long that took.
     */
    static Duration await(Cluster cluster, WriteLog log, boolean leasing, Duration bound, String when) {
        try {
            return cluster.awaitConverged(bound, d -> log.violations(d, leasing).isEmpty());
        } catch (ConditionTimeoutException e) {
            StringBuilder sb = new StringBuilder(when + ": the nodes did not agree on the expected dictionary within "
                    + bound.toSeconds() + " s (" + log.size() + " acknowledged writes).");
            try {
                sb.append("\nDifferences between nodes:").append(cluster.describeDifferences());
                sb.append("\nPeers (js2p? = no jv2p hello on that connection):");
                cluster.readAll(ClusterNode::describePeers)
                        .forEach((n, p) ->
                                sb.append("\n  ").append(n).append(": ").append(p));
                for (Map.Entry<String, Map<String, Entry>> d : cluster.dumps().entrySet()) {
                    List<String> v = log.violations(d.getValue(), leasing);
                    if (!v.isEmpty()) {
                        sb.append("\nNode ").append(d.getKey()).append(" against the writes:");
                        v.forEach(line -> sb.append("\n  ").append(line));
                    }
                }
            } catch (RuntimeException readFailed) {
                sb.append("\n(could not read the nodes: ").append(readFailed).append(')');
            }
            return fail(sb.toString(), e);
        }
    }
}
