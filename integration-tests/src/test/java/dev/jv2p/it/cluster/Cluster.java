package dev.jv2p.it.cluster;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.lifecycle.Startables;
import org.testcontainers.utility.DockerImageName;

/**
 * N jv2p nodes ({@code a}, {@code b}, ...), each in its own container on one internal network,
 * reachable as {@code node-a:4000} and so on. The cluster can cut a node or a group off and heal
 * it, and read every node's dictionary; {@link ClusterNode} pauses, kills and restarts single
 * nodes. {@link #close()} saves each node's log and removes every container and network it
 * made (Ryuk, the usual Testcontainers janitor, is off on machines without a registry).
 *
 * <p><b>Cutting.</b> {@link #cut} moves a group onto a network of its own (a single node is
 * simply disconnected). Its members then reach one another only there, under new addresses, so
 * the links <em>inside</em> the group break as well and come back only where a {@code --join}
 * redials them: in a star, move the side that holds the seed; in a chain, any side.
 *
 * <p><b>Timers.</b> Nodes run with keep-alive {@value #KEEP_ALIVE_INTERVAL}/{@value
 * #KEEP_ALIVE_TIMEOUT}, anti-entropy every {@value #ANTI_ENTROPY} and join back-off up to
 * {@value #JOIN_MAX_DELAY}, so that a cut drops connections within seconds and a heal is
 * noticed quickly; the defaults are 5 s/20 s, 10 s and 30 s. Their JVMs cache DNS answers for
 * one second and failures not at all, since nodes come back under new addresses.
 */
public final class Cluster implements AutoCloseable {
    static final String KEEP_ALIVE_INTERVAL = "1s";
    static final String KEEP_ALIVE_TIMEOUT = "4s";
    static final String ANTI_ENTROPY = "2s";
    static final String JOIN_MAX_DELAY = "2s";
    static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private static final Logger LOG = LoggerFactory.getLogger(Cluster.class);

    /** How nodes find each other. */
    public enum Topology {
        /** Every node joins the first; peers lists make the mesh. */
        STAR,
        /** Each node joins only its predecessor and dials nobody else ({@code --no-peer-dialing}). */
        CHAIN
    }

    private final String runId = UUID.randomUUID().toString().substring(0, 8).toLowerCase(Locale.ROOT);
    private final Network network;
    private final List<ClusterNode> nodes = new ArrayList<>();
    private final Map<ClusterNode, Network> sideNetworks = new LinkedHashMap<>();
    private final Set<ClusterNode> offMain = new HashSet<>();
    private final ExecutorService readers;
    private final Path logDir;

    private Cluster(Builder b, NodeImage image) {
        this.logDir = b.logDir;
        this.network = Network.builder()
                .createNetworkCmdModifier(c -> c.withInternal(true).withName("jv2p-it-" + runId))
                .build();
        this.readers = Executors.newFixedThreadPool(b.size, r -> {
            Thread t = new Thread(r, "cluster-" + runId + "-reader");
            t.setDaemon(true);
            return t;
        });
        for (int i = 0; i < b.size; i++) {
            String name = String.valueOf((char) ('a' + i));
            nodes.add(new ClusterNode(name, container(b, image, name, i)));
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    private GenericContainer<?> container(Builder b, NodeImage image, String name, int index) {
        List<String> cmd = new ArrayList<>(List.of(
                "java",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-Xmx128m",
                "-Djava.security.properties=" + NodeImage.NODE_DIR + "/dns.security",
                "-jar",
                NodeImage.NODE_DIR + "/jv2p.jar",
                "node",
                "--bind",
                "0.0.0.0",
                "--port",
                String.valueOf(ClusterNode.MESH_PORT),
                "--advertise",
                ClusterNode.alias(name) + ":" + ClusterNode.MESH_PORT,
                "--identity-file",
                NodeImage.NODE_DIR + "/identity",
                "--control-port",
                String.valueOf(ClusterNode.CONTROL_PORT),
                "--no-stdin",
                "--json",
                "--log-level",
                "info",
                "--keep-alive-interval",
                KEEP_ALIVE_INTERVAL,
                "--keep-alive-timeout",
                KEEP_ALIVE_TIMEOUT,
                "--anti-entropy-interval",
                ANTI_ENTROPY,
                "--join-max-delay",
                JOIN_MAX_DELAY));
        if (index > 0) {
            String joined = b.topology == Topology.STAR ? "a" : String.valueOf((char) ('a' + index - 1));
            cmd.addAll(List.of("--join", ClusterNode.alias(joined) + ":" + ClusterNode.MESH_PORT));
        }
        if (b.topology == Topology.CHAIN) {
            cmd.add("--no-peer-dialing");
        }
        if (!b.leasing) {
            cmd.add("--no-leasing");
        }
        cmd.addAll(b.extraArgs);
        @SuppressWarnings("resource") // closed by close()
        GenericContainer<?> c = new GenericContainer<>(DockerImageName.parse(image.name()))
                .withNetwork(network)
                .withNetworkAliases(ClusterNode.alias(name))
                .withCommand(cmd.toArray(String[]::new))
                .withCreateContainerCmdModifier(create -> {
                    create.withName("jv2p-it-" + runId + "-" + name);
                    // No lookup may leave the machine; unknown names fail in about a second.
                    create.getHostConfig().withDns("127.0.0.1").withDnsOptions(List.of("timeout:1", "attempts:1"));
                })
                .waitingFor(Wait.forLogMessage(".*\"event\":\"started\".*", 1).withStartupTimeout(START_TIMEOUT));
        return c;
    }

    private void startAll() {
        long t0 = System.nanoTime();
        Startables.deepStart(nodes.stream().map(ClusterNode::container)).join();
        LOG.info("cluster {}: {} nodes started in {} ms", runId, nodes.size(), (System.nanoTime() - t0) / 1_000_000);
    }

    public List<ClusterNode> nodes() {
        return List.copyOf(nodes);
    }

    /** The node named {@code name} ({@code "a"}...). */
    public ClusterNode node(String name) {
        return nodes.stream()
                .filter(n -> n.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no node " + name));
    }

    /** Nodes by name: {@code nodes("a", "b")}. */
    public List<ClusterNode> nodes(String... names) {
        return java.util.Arrays.stream(names).map(this::node).toList();
    }

    /** Nodes that run (not paused, not killed). */
    public List<ClusterNode> running() {
        return nodes.stream()
                .filter(n -> n.state() == ClusterNode.State.RUNNING)
                .toList();
    }

    // ---- partitions ---------------------------------------------------------------------------

    /**
     * Cuts {@code group} off from the rest: a single node is disconnected; a larger group moves
     * onto a network of its own, where its members keep their aliases. Nodes already cut off
     * stay where they are.
     */
    public void cut(Collection<ClusterNode> group) {
        List<ClusterNode> moving =
                group.stream().filter(n -> !offMain.contains(n)).toList();
        if (moving.size() > 1) {
            Network side = Network.builder()
                    .createNetworkCmdModifier(
                            c -> c.withInternal(true).withName("jv2p-it-" + runId + "-side-" + sideNetworks.size()))
                    .build();
            for (ClusterNode n : moving) {
                n.connect(side.getId());
                sideNetworks.put(n, side);
            }
        }
        for (ClusterNode n : moving) {
            n.disconnect(network.getId());
            offMain.add(n);
        }
        LOG.info("cluster {}: cut off {}", runId, names(moving));
    }

    /** Puts every node back on the main network and removes the side networks. */
    public void healAll() {
        List<ClusterNode> healed = new ArrayList<>(offMain);
        for (ClusterNode n : healed) {
            n.connect(network.getId());
            offMain.remove(n);
        }
        for (Map.Entry<ClusterNode, Network> e : sideNetworks.entrySet()) {
            e.getKey().disconnect(e.getValue().getId());
        }
        Set<Network> sides = new HashSet<>(sideNetworks.values());
        sideNetworks.clear();
        sides.forEach(Network::close);
        if (!healed.isEmpty()) {
            LOG.info("cluster {}: healed {}", runId, names(healed));
        }
    }

    /** Whether {@code node} is cut off from the main network. */
    public boolean isCutOff(ClusterNode node) {
        return offMain.contains(node);
    }

    /** Whether any node is cut off. */
    public boolean isCut() {
        return !offMain.isEmpty();
    }

    // ---- reading ------------------------------------------------------------------------------

    /** The dictionaries of the running nodes, read in parallel, by node name. */
    public Map<String, Map<String, Entry>> dumps() {
        return readAll(ClusterNode::dump);
    }

    /** Runs {@code read} on every running node in parallel; results by node name. */
    public <T> Map<String, T> readAll(java.util.function.Function<ClusterNode, T> read) {
        Map<String, Future<T>> futures = new LinkedHashMap<>();
        for (ClusterNode n : running()) {
            futures.put(n.name(), readers.submit(() -> read.apply(n)));
        }
        Map<String, T> results = new LinkedHashMap<>();
        for (Map.Entry<String, Future<T>> f : futures.entrySet()) {
            try {
                results.put(f.getKey(), f.getValue().get());
            } catch (ExecutionException e) {
                throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
        return results;
    }

    /**
     * Waits until every node runs and holds the same dictionary (values, owners and
     * timestamps), one that {@code accept} accepts, and returns how long that took.
     *
     * @throws org.awaitility.core.ConditionTimeoutException after {@code bound}
     */
    public Duration awaitConverged(Duration bound, java.util.function.Predicate<Map<String, Entry>> accept) {
        long t0 = System.nanoTime();
        await("all " + nodes.size() + " nodes to hold the same expected dictionary")
                .atMost(bound)
                .pollInterval(Duration.ofMillis(250))
                .ignoreException(NodeCommandException.class)
                .until(
                        this::dumps,
                        d -> d.size() == nodes.size()
                                && d.values().stream().distinct().count() == 1
                                && accept.test(d.values().iterator().next()));
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        LOG.info("cluster {}: converged in {} ms", runId, took.toMillis());
        return took;
    }

    /** A readable account of how the running nodes' dictionaries differ, for failure messages. */
    public String describeDifferences() {
        Map<String, Map<String, Entry>> d = dumps();
        Set<String> keys = new java.util.TreeSet<>();
        d.values().forEach(m -> keys.addAll(m.keySet()));
        StringBuilder sb = new StringBuilder();
        for (String k : keys) {
            Set<Entry> seen = d.values().stream().map(m -> m.get(k)).collect(Collectors.toSet());
            if (seen.size() > 1) {
                sb.append("\n  ").append(k).append(':');
                d.forEach((node, m) -> sb.append(' ').append(node).append('=').append(m.get(k)));
            }
        }
        return sb.length() == 0 ? "no differences" : sb.toString();
    }

    // ---- clean-up -----------------------------------------------------------------------------

    /** Saves every node's log under the log directory, then removes containers and networks. */
    @Override
    public void close() {
        saveLogs();
        for (ClusterNode n : nodes) {
            try {
                if (n.state() == ClusterNode.State.PAUSED) {
                    n.unpause();
                }
                n.container().stop();
            } catch (RuntimeException e) {
                LOG.warn("cluster {}: could not remove node {}: {}", runId, n.name(), e.toString());
            }
        }
        new HashSet<>(sideNetworks.values()).forEach(Network::close);
        network.close();
        readers.shutdownNow();
    }

    private void saveLogs() {
        if (logDir == null) {
            return;
        }
        for (ClusterNode n : nodes) {
            if (n.container().getContainerId() == null) {
                continue;
            }
            try {
                Files.createDirectories(logDir);
                Files.writeString(logDir.resolve(n.name() + ".log"), n.logs(), StandardCharsets.UTF_8);
            } catch (IOException | RuntimeException e) {
                LOG.warn("cluster {}: could not save the log of node {}: {}", runId, n.name(), e.toString());
            }
        }
    }

    private static String names(Collection<ClusterNode> group) {
        return group.stream().map(ClusterNode::name).collect(Collectors.joining(",", "{", "}"));
    }

    @Override
    public String toString() {
        return "cluster " + runId + " " + nodes;
    }

    /** Settings of a cluster; {@link #start} builds it. */
    public static final class Builder {
        private int size = 3;
        private Topology topology = Topology.STAR;
        private boolean leasing = true;
        private final List<String> extraArgs = new ArrayList<>();
        private Path logDir;

        public Builder nodes(int n) {
            if (n < 1 || n > 26) {
                throw new IllegalArgumentException("nodes must be 1..26, was " + n);
            }
            size = n;
            return this;
        }

        public Builder topology(Topology t) {
            topology = t;
            return this;
        }

        /** {@code false}: last writer wins ({@code --no-leasing}). */
        public Builder leasing(boolean on) {
            leasing = on;
            return this;
        }

        /** More {@code jv2p node} options for every node. */
        public Builder args(String... args) {
            extraArgs.addAll(List.of(args));
            return this;
        }

        /** Where {@link #close()} saves each node's log ({@code <dir>/<node>.log}). */
        public Builder logDir(Path dir) {
            logDir = dir;
            return this;
        }

        /** Creates the network and containers and waits until every node has started. */
        public Cluster start(NodeImage image) {
            Cluster c = new Cluster(this, image);
            try {
                c.startAll();
                return c;
            } catch (RuntimeException e) {
                c.close();
                throw e;
            }
        }
    }
}
