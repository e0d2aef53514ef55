package dev.jv2p.mesh.testkit;

import dev.jv2p.mesh.MeshConfig;
import dev.jv2p.mesh.MeshSocket;
import dev.jv2p.mesh.MeshStats;
import dev.jv2p.mesh.spi.Flags;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * What a broadcast costs in a mesh of many nodes, in protocol rounds rather than in seconds of
 * a busy machine: {@code n} nodes on one {@link TestMesh#virtual()}, every link delaying what
 * it carries by {@link #HOP} of virtual time, so that a delivery's virtual time is the number of
 * links its first copy crossed (plus the tree's timers when a graft was needed). Node {@code i}
 * joins a random earlier node and peers lists do the rest, as in a real mesh. Broadcasts are
 * sent one at a time from random live nodes; for each, the payload copies and announced ids all
 * nodes sent, and every live node's deliveries, are counted.
 *
 * <p>Methods are called from the test thread; closing the simulation closes every node.
 */
public final class BroadcastSimulation implements AutoCloseable {
    /** The delay of every link: one protocol round. */
    public static final Duration HOP = Duration.ofMillis(1);

    /** How long each broadcast is given: many hops, and the tree's graft timers twice over. */
    private static final Duration ROUND = Duration.ofMillis(400);

    /** How long a join through one contact is given to settle before anything is measured. */
    private static final Duration SETTLE_ONE_CONTACT = Duration.ofMinutes(1);

    private final TestMesh mesh = TestMesh.virtual();
    private final ExecutorService callbacks = Executors.newSingleThreadExecutor();
    private final List<MeshSocket> nodes = new ArrayList<>();
    private final List<String> names = new ArrayList<>();
    private final List<Boolean> alive = new ArrayList<>();
    private final Random random;
    /** Per node: the index of the last broadcast delivered to it, how often, and when. */
    private final List<int[]> deliveries = new ArrayList<>();

    private final boolean tree;
    private final int maxPeers;
    private long startNanos;
    /** Churn steps taken: even ones close a node, odd ones start one. */
    private int churned;

    private int current = -1;

    /**
     * The figures of one broadcast.
     *
     * @param expected the live nodes but the sender that the routing tables connect to it
     * @param cutOff the live nodes the routing tables do not connect to the sender (no
     *     broadcast can reach them: the overlay itself is split)
     * @param delivered the live nodes that delivered it
     * @param duplicates deliveries beyond the first, over all nodes
     * @param payloads payload copies all nodes sent
     * @param ids ids all nodes announced
     * @param lastHop the virtual time of the last delivery, in {@link #HOP}s
     */
    public record Round(
            int expected, int cutOff, int delivered, int duplicates, long payloads, long ids, long lastHop) {}

    /**
     * Starts {@code n} nodes, with the broadcast tree on or off, joined at random from {@code
     * seed}, and lets their peers lists settle.
     */
    public BroadcastSimulation(int n, boolean tree, long seed) {
        this(n, tree, seed, false);
    }

    /**
     * Starts {@code n} nodes, with the broadcast tree on or off, that all dial node 0 at once
     * (none waits for another's link), and lets their peers lists and redials settle for a minute
     * of virtual time: the join that can leave an island when the contact refuses some at its
     * peer limit. See {@link #components}.
     */
    public static BroadcastSimulation throughOneContact(int n, boolean tree, long seed) {
        return throughOneContact(n, tree, seed, MeshConfig.builder().build().maxPeers());
    }

    /**
     * As {@link #throughOneContact(int, boolean, long)}, the contact (node 0) allowed {@code
     * maxPeers} peers, the others the default. (With every node at a few slots, a clique of
     * full nodes can close itself off: no node drops a link to make room yet.)
     */
    public static BroadcastSimulation throughOneContact(int n, boolean tree, long seed, int maxPeers) {
        return new BroadcastSimulation(n, tree, seed, true, maxPeers);
    }

    private BroadcastSimulation(int n, boolean tree, long seed, boolean oneContact) {
        this(n, tree, seed, oneContact, MeshConfig.builder().build().maxPeers());
    }

    private BroadcastSimulation(int n, boolean tree, long seed, boolean oneContact, int maxPeers) {
        if (n < 2) {
            throw new IllegalArgumentException("a simulation needs at least 2 nodes, not " + n);
        }
        random = new Random(seed);
        this.tree = tree;
        this.maxPeers = maxPeers;
        try {
            for (int i = 0; i < n; i++) {
                start(tree);
                if (i > 0 && !oneContact) {
                    join(i);
                }
            }
            if (oneContact) {
                InetSocketAddress contact = nodes.get(0).localAddress();
                for (int i = 1; i < n; i++) {
                    nodes.get(i).connect(contact.getHostString(), contact.getPort());
                }
            }
            // Those the contact refused dial it (and the addresses it referred them to) again,
            // backing off from a second: give the redials a minute.
            mesh.time().advance(oneContact ? SETTLE_ONE_CONTACT : Duration.ofSeconds(2));
            for (String name : names) {
                mesh.network().delay(name, NetworkEmulator.ANY, HOP);
            }
        } catch (RuntimeException | Error e) {
            close();
            throw e;
        }
    }

    /**
     * Joins node {@code i} to a random earlier node; one at its peer limit refuses, so up to 20
     * are tried.
     */
    private void join(int i) {
        AssertionError refused = null;
        for (int attempt = 0; attempt < 20; attempt++) {
            try {
                mesh.joinAndAwait(nodes.get(i), nodes.get(random.nextInt(i)));
                return;
            } catch (AssertionError e) {
                refused = e;
            }
        }
        throw refused;
    }

    private void start(boolean tree) {
        int index = nodes.size();
        String name = "n" + index;
        int[] seen = {-1, 0, 0};
        MeshSocket node = mesh.start(
                name,
                b -> b.broadcastTree(tree)
                        .maxPeers(
                                index == 0
                                        ? maxPeers
                                        : MeshConfig.builder().build().maxPeers())
                        .callbackExecutor(callbacks));
        node.registerHandler(m -> {
            if (m.mainFlag() == Flags.BROADCAST && m.packets().get(m.packets().size() - 1) instanceof Long b) {
                if (seen[0] != b.intValue()) {
                    seen[0] = b.intValue();
                    seen[1] = 0;
                    seen[2] = (int) ((node.layerContext().nanoTime() - startNanos) / HOP.toNanos());
                }
                seen[1]++;
            }
            return true;
        });
        nodes.add(node);
        names.add(name);
        alive.add(true);
        deliveries.add(seen);
    }

    /** The links between live nodes. */
    public int links() {
        int degrees = 0;
        for (int i = 0; i < nodes.size(); i++) {
            if (alive.get(i)) {
                degrees += nodes.get(i).routingTable().size();
            }
        }
        return degrees / 2;
    }

    /** The nodes still running. */
    public int live() {
        return (int) alive.stream().filter(a -> a).count();
    }

    /** Closes {@code fraction} of the live nodes, chosen at random, all at once. */
    public void kill(double fraction) {
        List<Integer> candidates = liveIndices();
        int count = (int) Math.round(candidates.size() * fraction);
        for (int k = 0; k < count; k++) {
            int i = candidates.remove(random.nextInt(candidates.size()));
            alive.set(i, false);
            nodes.get(i).close();
        }
        mesh.time().runUntilIdle();
    }

    /**
     * One step of churn: every other call closes a random live node, the others start a new node
     * that joins a random live one; then lets the mesh settle for one {@link #HOP}.
     */
    public void churn() {
        if (churned++ % 2 == 0) {
            List<Integer> candidates = liveIndices();
            int i = candidates.get(random.nextInt(candidates.size()));
            alive.set(i, false);
            nodes.get(i).close();
        } else {
            List<Integer> candidates = liveIndices();
            MeshSocket contact = nodes.get(candidates.get(random.nextInt(candidates.size())));
            start(tree);
            MeshSocket joining = nodes.get(nodes.size() - 1);
            mesh.network().delay(names.get(names.size() - 1), NetworkEmulator.ANY, HOP);
            joining.connect(
                    contact.localAddress().getHostString(),
                    contact.localAddress().getPort());
            mesh.time()
                    .advanceUntil(
                            () -> joining.routingTable().containsKey(contact.id())
                                    && contact.routingTable().containsKey(joining.id()),
                            ROUND);
        }
        mesh.time().advance(HOP);
    }

    private List<Integer> liveIndices() {
        List<Integer> live = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            if (alive.get(i)) {
                live.add(i);
            }
        }
        return live;
    }

    /**
     * The connected components of the overlay among live nodes (links taken both ways): 1 when
     * every live node can reach every other, more when islands are cut off.
     */
    public int components() {
        return overlay().count();
    }

    /**
     * The live nodes' components, each as its size (and its nodes when few) and its nodes' peer
     * counts: for a failure message, an island of nodes that each reached {@code maxOutgoing}
     * differs from one left alone.
     */
    public String describeComponents() {
        return overlay().describe();
    }

    private OverlayComponents overlay() {
        return new OverlayComponents(nodes, liveIndices());
    }

    /** Sends one broadcast from a random live node and gives it {@link #ROUND} of virtual time. */
    public Round broadcast() {
        int source;
        do {
            source = random.nextInt(nodes.size());
        } while (!alive.get(source));
        long payloadsBefore = total(true);
        long idsBefore = total(false);
        current++;
        // before the broadcast: a link made while it travels does not carry it
        int connected = connectedTo(source);
        MeshSocket from = nodes.get(source);
        startNanos = from.layerContext().nanoTime();
        from.send(List.of((long) current));
        mesh.time().advance(ROUND);
        int delivered = 0;
        int duplicates = 0;
        long lastHop = 0;
        for (int i = 0; i < nodes.size(); i++) {
            int[] seen = deliveries.get(i);
            if (!alive.get(i) || i == source) {
                continue;
            }
            if (seen[0] == current) {
                delivered++;
                duplicates += seen[1] - 1;
                lastHop = Math.max(lastHop, seen[2]);
            }
        }
        return new Round(
                connected - 1,
                live() - connected,
                delivered,
                duplicates,
                total(true) - payloadsBefore,
                total(false) - idsBefore,
                lastHop);
    }

    /** How many live nodes the routing tables connect to node {@code source}, itself included. */
    private int connectedTo(int source) {
        return overlay().of(source).size();
    }

    /** Payload copies ({@code payloads}) or announced ids sent by all nodes, dead ones included. */
    private long total(boolean payloads) {
        long sum = 0;
        for (MeshSocket node : nodes) {
            MeshStats s = node.stats();
            sum += payloads ? s.broadcastsSent() : s.idsAnnounced();
        }
        return sum;
    }

    /**
     * {@code rounds} summed up as a table row: scenario, nodes, links, payloads per broadcast, the
     * same ÷ (n−1), ids per broadcast, deliveries ÷ nodes connected to the sender, nodes cut off
     * (most in one round), duplicate deliveries, last delivery in rounds.
     */
    public static String row(String scenario, int nodes, int links, List<Round> rounds) {
        long expected = 0;
        long cutOff = 0;
        long delivered = 0;
        long duplicates = 0;
        long payloads = 0;
        long ids = 0;
        long lastHop = 0;
        for (Round r : rounds) {
            expected += r.expected();
            cutOff = Math.max(cutOff, r.cutOff());
            delivered += r.delivered();
            duplicates += r.duplicates();
            payloads += r.payloads();
            ids += r.ids();
            lastHop = Math.max(lastHop, r.lastHop());
        }
        double perBroadcast = payloads / (double) rounds.size();
        return String.format(
                Locale.ROOT,
                "| %s | %d | %d | %.1f | %.2f | %.1f | %.4f | %d | %d | %d |",
                scenario,
                nodes,
                links,
                perBroadcast,
                perBroadcast / (nodes - 1),
                ids / (double) rounds.size(),
                delivered / (double) expected,
                cutOff,
                duplicates,
                lastHop);
    }

    @Override
    public void close() {
        try {
            mesh.close();
        } finally {
            callbacks.shutdown();
        }
    }
}
