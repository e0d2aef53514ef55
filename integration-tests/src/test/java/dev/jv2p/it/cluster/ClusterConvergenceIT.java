package dev.jv2p.it.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * jv2p nodes in separate containers, each with its own network stack, through partitions,
 * kill -9 and restarts. See {@link Cluster} for the timers the nodes run with.
 */
@ClusterTest
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class ClusterConvergenceIT {
    /**
     * A write reaches every connected node within this. Typically well under a second; the
     * rest is room for five JVMs sharing two cores.
     */
    static final Duration SPREAD_BOUND = Duration.ofSeconds(20);
    /**
     * After a heal (or a restart) every node holds the same dictionary within this: a lost peer
     * is noticed within the keep-alive timeout (4 s), redialed within the join back-off (2 s),
     * and the digests are compared on connect and every 2 s. Measured: see the log lines
     * "converged in".
     */
    static final Duration HEAL_BOUND = Duration.ofSeconds(30);

    private static final Logger LOG = LoggerFactory.getLogger(ClusterConvergenceIT.class);

    @RegisterExtension
    final ClusterExtension clusters = new ClusterExtension();

    @Test
    void aWriteOnEachOfFiveNodesJoinedThroughOneSeedIsOnAllFive() {
        Cluster cluster = clusters.start(Cluster.builder().nodes(5));
        Topologies.awaitConnected(cluster);
        WriteLog log = new WriteLog();
        for (ClusterNode n : cluster.nodes()) {
            assertTrue(log.set(n, "from-" + n.name(), "written-on-" + n.name()));
        }
        Agreement.await(cluster, log, true, SPREAD_BOUND, "after one write on each node");
        Map<String, Entry> dictionary = cluster.node("c").dump();
        for (ClusterNode n : cluster.nodes()) {
            assertEquals(n.id(), dictionary.get("from-" + n.name()).owner());
        }
    }

    @Test
    void afterAPartitionHealsAllFiveHoldTheSameDictionaryAndOnlyTheMergeRuleDropsWrites() {
        Duration took =
                partitionHealsAndConverges(clusters.start(Cluster.builder().nodes(5)));
        LOG.info("partition {a,b}|{c,d,e} healed: identical dictionaries after {} ms", took.toMillis());
    }

    @Test
    void theSamePartitionOverTlsWithProtobufHealsTheSameWay() {
        Cluster cluster = clusters.start(Cluster.builder()
                .nodes(5)
                .args("--transport", "TLS", "--codec", "protobuf", "--key-file", NodeImage.NODE_DIR + "/node.key"));
        for (ClusterNode n : cluster.nodes()) {
            String log = n.logs();
            assertTrue(
                    log.contains("TlsTransport") && log.contains("ProtobufCodec"),
                    "node " + n.name() + " runs TLS with protobuf: "
                            + log.lines().filter(l -> l.contains("listening")).toList());
        }
        Duration took = partitionHealsAndConverges(cluster);
        LOG.info(
                "partition {a,b}|{c,d,e} over TLS with protobuf healed: identical dictionaries after {} ms",
                took.toMillis());
    }

    /** Partition {a,b} | {c,d,e}, writes on both sides (other keys and the same keys), heal. */
    private static Duration partitionHealsAndConverges(Cluster cluster) {
        List<ClusterNode> left = cluster.nodes("a", "b");
        List<ClusterNode> right = cluster.nodes("c", "d", "e");
        ClusterNode a = left.get(0);
        ClusterNode b = left.get(1);
        ClusterNode c = right.get(0);
        ClusterNode d = right.get(1);
        ClusterNode e = right.get(2);
        Topologies.awaitConnected(cluster);
        WriteLog log = new WriteLog();
        assertTrue(log.set(a, "before", "v0"));
        Agreement.await(cluster, log, true, SPREAD_BOUND, "before the partition");

        cluster.cut(left); // the side with the seed moves, so its own links come back
        // Written while the old connections still look alive: these die in dead sockets.
        assertTrue(log.set(a, "left-early", "l0"));
        assertTrue(log.set(d, "right-early", "r0"));
        Topologies.awaitSeparated(cluster, left, right);

        assertTrue(log.set(a, "left-1", "l1"));
        assertTrue(log.set(b, "left-2", "l2"));
        assertTrue(log.set(c, "right-1", "r1"));
        assertTrue(log.set(e, "right-2", "r2"));
        // The same keys on both sides: each side accepts its writes; the merge decides later.
        assertTrue(log.set(b, "both-1", "from-left"));
        assertTrue(log.set(d, "both-1", "from-right"));
        assertTrue(log.set(e, "both-2", "from-right"));
        assertTrue(log.set(a, "both-2", "from-left"));
        assertTrue(log.set(c, "both-3", "from-right"));
        assertTrue(log.set(c, "both-3", "from-right-again"));
        assertTrue(log.set(a, "both-3", "from-left"));
        // a holds the lease of "before" and keeps it on its side; the other side knows it too.
        assertTrue(log.set(a, "before", "v1-left"));
        assertFalse(log.set(d, "before", "v1-right"), "the right side knows a's lease on 'before'");

        // The side that moved rejoined within itself (b joins a); the other side keeps the links
        // it had, which need not connect all three, so only the moved side is sure to agree.
        awaitAgree(left);
        assertNull(a.get("right-1"), "the left side must not see the right side's writes during the partition");
        assertNull(c.get("left-1"), "the right side must not see the left side's writes during the partition");

        cluster.healAll();
        return Agreement.await(cluster, log, true, HEAL_BOUND, "after the partition healed");
    }

    @Test
    void aNodeKilledDuringABurstOfWritesCatchesUpAfterItsRestart() throws Exception {
        Cluster cluster = clusters.start(Cluster.builder().nodes(4));
        ClusterNode victim = cluster.node("d");
        Topologies.awaitConnected(cluster);
        WriteLog log = new WriteLog();
        assertTrue(log.set(victim, "victim-before", "v0"));
        Agreement.await(cluster, log, true, SPREAD_BOUND, "before the kill");
        String victimId = victim.id();

        ExecutorService writers = Executors.newFixedThreadPool(2);
        int writtenBeforeTheKill;
        try {
            List<Future<?>> bursts = new ArrayList<>();
            for (ClusterNode writer : cluster.nodes("b", "c")) {
                bursts.add(writers.submit(() -> {
                    for (int i = 0; i < 40; i++) {
                        assertTrue(log.set(writer, writer.name() + "-burst-" + i, "v" + i));
                    }
                }));
            }
            org.awaitility.Awaitility.await("the burst to be under way")
                    .atMost(Duration.ofSeconds(60))
                    .until(() -> log.size() >= 20);
            victim.kill();
            writtenBeforeTheKill = log.size();
            for (Future<?> f : bursts) {
                f.get(3, TimeUnit.MINUTES);
            }
        } finally {
            writers.shutdownNow();
        }
        assertTrue(log.size() - writtenBeforeTheKill >= 20, "the burst went on while the victim was dead");
        victim.restart();
        assertEquals(victimId, victim.call("status").get("id").asText(), "the identity file keeps the node id");

        Duration took = Agreement.await(cluster, log, true, HEAL_BOUND, "after the restart");
        LOG.info("killed node caught up {} ms after its restart", took.toMillis());
        assertTrue(log.set(victim, "victim-after", "v1"));
        Agreement.await(cluster, log, true, SPREAD_BOUND, "after a write of the restarted node");
    }

    @Test
    void aChainWhereEachNodeKnowsOnlyItsNeighbourDeliversEveryWriteToAll() {
        Cluster cluster = clusters.start(Cluster.builder().nodes(5).topology(Cluster.Topology.CHAIN));
        Map<String, Set<String>> neighbours = Map.of(
                "a",
                Set.of("node-b"),
                "b",
                Set.of("node-a", "node-c"),
                "c",
                Set.of("node-b", "node-d"),
                "d",
                Set.of("node-c", "node-e"),
                "e",
                Set.of("node-d"));
        Topologies.awaitPeers(cluster, neighbours);
        WriteLog log = new WriteLog();
        for (ClusterNode n : cluster.nodes()) {
            assertTrue(log.set(n, "from-" + n.name(), "written-on-" + n.name()));
        }
        Agreement.await(cluster, log, true, SPREAD_BOUND, "after one write on each node of the chain");
        assertEquals(neighbours, cluster.readAll(ClusterNode::peerAliases), "nodes dialed no one but their neighbours");

        ClusterNode middle = cluster.node("c");
        cluster.cut(List.of(middle));
        Topologies.awaitSeparated(cluster, List.of(middle), cluster.nodes("b", "d"));
        assertTrue(log.set(cluster.node("a"), "end-a", "while-cut"));
        assertTrue(log.set(cluster.node("e"), "end-e", "while-cut"));
        assertTrue(log.set(middle, "middle", "while-cut"));
        cluster.healAll();
        Duration took = Agreement.await(cluster, log, true, HEAL_BOUND, "after the chain healed");
        LOG.info("chain cut at c healed: identical dictionaries after {} ms", took.toMillis());
        Topologies.awaitPeers(cluster, neighbours);
    }

    private static void awaitAgree(List<ClusterNode> side) {
        org.awaitility.Awaitility.await("one side of the partition to agree within itself")
                .atMost(SPREAD_BOUND)
                .pollInterval(Duration.ofMillis(250))
                .ignoreException(NodeCommandException.class)
                .until(() -> side.stream().map(ClusterNode::dump).distinct().count() == 1);
    }
}
