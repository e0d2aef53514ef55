package dev.jv2p.bench.mesh;

import dev.jv2p.mesh.InMemoryNetwork;
import dev.jv2p.mesh.MeshConfig;
import dev.jv2p.mesh.MeshSocket;
import dev.jv2p.mesh.MeshStats;
import dev.jv2p.mesh.spi.Network;
import dev.jv2p.mesh.testkit.BroadcastSimulation;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Routing cost of a broadcast in larger meshes: many {@link MeshSocket}s in this JVM, sharing
 * one event loop group, on an {@link InMemoryNetwork} (its {@code Plaintext} transport), or with
 * {@code tcp} as third argument on loopback TCP. Node {@code i} dials a random earlier node and
 * the mesh's peers lists do the rest (default {@code maxOutgoing} 4, {@code maxPeers} 64). Once
 * the routing tables settle, broadcasts from random nodes are sent one at a time; for each, the
 * frames all nodes sent are counted and the time until every node delivered it is taken.
 *
 * <p>With {@code virtual} or {@code virtual-tree} as third argument the nodes run in virtual time
 * instead ({@link BroadcastSimulation}: every link one millisecond, one protocol round), with the
 * broadcast tree off or on, so the figures do not depend on how busy the machine is; each size is
 * measured in steady state (after {@link #WARM_UP} broadcasts), again after a fifth of the nodes
 * was killed at once, with every node joined through one contact at once, and under churn (one
 * node closed or started before each broadcast), counting payload copies and announced ids per broadcast, the delivery ratio,
 * duplicate deliveries and the last delivery's round.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar dev.jv2p.bench.mesh.MeshSim [16,64,200] [broadcasts] [memory|tcp|virtual|virtual-tree]</pre>
 */
public final class MeshSim {
    private static final long SEED = 7;
    /** Broadcasts sent before steady state is measured: the first one shapes the tree. */
    private static final int WARM_UP = 3;

    private MeshSim() {}

    public static void main(String[] args) throws Exception {
        int[] sizes = Arrays.stream((args.length > 0 ? args[0] : "16,64,200").split(","))
                .mapToInt(Integer::parseInt)
                .toArray();
        int broadcasts = args.length > 1 ? Integer.parseInt(args[1]) : 50;
        String network = args.length > 2 ? args[2] : "memory";
        if (network.startsWith("virtual")) {
            virtual(sizes, broadcasts, network.equals("virtual-tree"));
            return;
        }
        if (!network.equals("memory") && !network.equals("tcp")) {
            throw new IllegalArgumentException("network must be memory, tcp, virtual or virtual-tree, not " + network);
        }
        System.out.println("network: " + (network.equals("tcp") ? "loopback TCP" : "in memory"));
        System.out.println(
                "| nodes | links | transmissions per broadcast | n(n−1) | 2(n−1) | delivered to all: p50 / max ms |");
        System.out.println("|---:|---:|---:|---:|---:|---|");
        for (int n : sizes) {
            System.out.println(run(n, broadcasts, network.equals("tcp") ? null : new InMemoryNetwork()));
        }
    }

    /** The steady-state and kill scenarios in virtual time, one table row each. */
    static void virtual(int[] sizes, int broadcasts, boolean tree) {
        System.out.println("virtual time, 1 ms per link; broadcast tree " + (tree ? "on" : "off"));
        System.out.println("| scenario | nodes | links | payloads per broadcast | ÷ (n−1) | ids per broadcast"
                + " | delivered ÷ connected | cut off | duplicate deliveries | last delivery (rounds) |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (int n : sizes) {
            try (BroadcastSimulation sim = new BroadcastSimulation(n, tree, SEED)) {
                for (int b = 0; b < WARM_UP; b++) {
                    sim.broadcast();
                }
                System.out.println(BroadcastSimulation.row("steady state", n, sim.links(), rounds(sim, broadcasts)));
                sim.kill(0.2);
                List<BroadcastSimulation.Round> first = rounds(sim, 1);
                System.out.println(BroadcastSimulation.row("first after 20 % killed", sim.live(), sim.links(), first));
                System.out.println(BroadcastSimulation.row(
                        "later after 20 % killed", sim.live(), sim.links(), rounds(sim, broadcasts)));
            }
            try (BroadcastSimulation sim = BroadcastSimulation.throughOneContact(n, tree, SEED)) {
                String scenario = "all joined through one contact (" + sim.components() + " component(s))";
                for (int b = 0; b < WARM_UP; b++) {
                    sim.broadcast();
                }
                System.out.println(BroadcastSimulation.row(scenario, n, sim.links(), rounds(sim, broadcasts)));
            }
            try (BroadcastSimulation sim = new BroadcastSimulation(n, tree, SEED)) {
                for (int b = 0; b < WARM_UP; b++) {
                    sim.broadcast();
                }
                List<BroadcastSimulation.Round> rounds = new ArrayList<>();
                for (int b = 0; b < broadcasts; b++) {
                    sim.churn();
                    rounds.add(sim.broadcast());
                }
                String scenario = "churn, a node leaves or joins per round (" + sim.components() + " component(s))";
                System.out.println(BroadcastSimulation.row(scenario, sim.live(), sim.links(), rounds));
            }
        }
    }

    private static List<BroadcastSimulation.Round> rounds(BroadcastSimulation sim, int count) {
        List<BroadcastSimulation.Round> rounds = new ArrayList<>();
        for (int b = 0; b < count; b++) {
            rounds.add(sim.broadcast());
        }
        return rounds;
    }

    /** One mesh of {@code n} nodes on {@code memory}, or on loopback TCP when it is null. */
    static String run(int n, int broadcasts, InMemoryNetwork memory) throws Exception {
        Network network = memory != null ? memory : Network.tcp();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, network.ioHandlerFactory());
        ExecutorService callbacks = Executors.newSingleThreadExecutor();
        List<MeshSocket> nodes = new ArrayList<>();
        AtomicReference<CountDownLatch> delivered = new AtomicReference<>(new CountDownLatch(0));
        Random random = new Random(SEED);
        try {
            for (int i = 0; i < n; i++) {
                MeshConfig.Builder config = MeshConfig.builder().port(0).eventLoopGroup(group);
                if (memory != null) {
                    config.transport(memory.plaintext());
                }
                MeshSocket node = MeshSocket.start(config.callbackExecutor(callbacks)
                        .keepAliveInterval(Duration.ofMinutes(10))
                        .keepAliveTimeout(Duration.ofMinutes(30))
                        .build());
                node.registerHandler(m -> {
                    delivered.get().countDown();
                    return true;
                });
                nodes.add(node);
                if (i > 0) {
                    join(node, nodes, random);
                }
            }
            int links = awaitSettled(nodes);
            long[] millis = new long[broadcasts];
            long frames = 0;
            for (int b = 0; b < broadcasts; b++) {
                long before = framesOut(nodes);
                CountDownLatch latch = new CountDownLatch(n - 1);
                delivered.set(latch);
                long start = System.nanoTime();
                nodes.get(random.nextInt(n)).send(List.of("broadcast " + b));
                if (!latch.await(30, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("broadcast " + b + " reached only " + (n - 1 - latch.getCount())
                            + " of " + (n - 1) + " nodes");
                }
                millis[b] = (System.nanoTime() - start) / 1_000_000;
                awaitQuiet(nodes);
                frames += framesOut(nodes) - before;
            }
            Arrays.sort(millis);
            return String.format(
                    Locale.ROOT,
                    "| %d | %d | %.1f | %d | %d | %d / %d |",
                    n,
                    links,
                    frames / (double) broadcasts,
                    (long) n * (n - 1),
                    2L * (n - 1),
                    millis[broadcasts / 2],
                    millis[broadcasts - 1]);
        } finally {
            for (MeshSocket node : nodes) {
                node.close();
            }
            callbacks.shutdown();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    /**
     * Dials a random earlier node; one at its peer limit refuses, so up to 20 others are tried
     * (a node that found peers through the first one's list is in the mesh all the same).
     */
    private static void join(MeshSocket node, List<MeshSocket> nodes, Random random) throws InterruptedException {
        int earlier = nodes.size() - 1;
        for (int attempt = 0; attempt < 20; attempt++) {
            MeshSocket seed = nodes.get(random.nextInt(earlier));
            try {
                node.connect("127.0.0.1", seed.localAddress().getPort()).get(30, TimeUnit.SECONDS);
                return;
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                if (!node.routingTable().isEmpty()) {
                    return;
                }
            }
        }
        throw new IllegalStateException("node " + earlier + " found no node with room for it");
    }

    /** Waits until no node's routing table changed for a second; returns the number of links. */
    private static int awaitSettled(List<MeshSocket> nodes) throws InterruptedException {
        int last = -1;
        long stableSince = System.nanoTime();
        while (true) {
            int degrees = 0;
            for (MeshSocket node : nodes) {
                degrees += node.routingTable().size();
            }
            if (degrees != last) {
                last = degrees;
                stableSince = System.nanoTime();
            } else if (System.nanoTime() - stableSince > TimeUnit.SECONDS.toNanos(1)) {
                return degrees / 2;
            }
            Thread.sleep(50); // polling other nodes' tables; there is no event for "settled"
        }
    }

    /** Waits until no frame moved for 100 ms, so the relays of the last broadcast are counted. */
    private static void awaitQuiet(List<MeshSocket> nodes) throws InterruptedException {
        long last = -1;
        while (true) {
            long now = framesOut(nodes);
            if (now == last) {
                return;
            }
            last = now;
            Thread.sleep(100); // see above
        }
    }

    private static long framesOut(List<MeshSocket> nodes) {
        long total = 0;
        for (MeshSocket node : nodes) {
            MeshStats s = node.stats();
            total += s.framesOut();
        }
        return total;
    }
}
