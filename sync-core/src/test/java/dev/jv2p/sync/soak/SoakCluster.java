package dev.jv2p.sync.soak;

import static org.awaitility.Awaitility.await;

import dev.jv2p.mesh.InMemoryNetwork;
import dev.jv2p.mesh.MeshConfig;
import dev.jv2p.mesh.spi.Values;
import dev.jv2p.sync.Key;
import dev.jv2p.sync.LeaseConflictException;
import dev.jv2p.sync.SyncConfig;
import dev.jv2p.sync.SyncSocket;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * {@link SyncSocket}s on one {@link InMemoryNetwork}, joined by links the soak chooses (nodes
 * do not dial the peers lists they are sent), with partitions of the network into two groups
 * and restarts of one node with an empty store on the same port. Called from the soak's
 * conductor thread only.
 */
final class SoakCluster implements AutoCloseable {
    static final String HOST = "127.0.0.1";

    private final InMemoryNetwork network = new InMemoryNetwork();
    /** The event loops all nodes share, or null: each node makes its own. */
    private final EventLoopGroup group;

    private final StampClock clock;
    private final Duration retention;
    private final SyncSocket[] nodes;
    private final int[] ports;
    /** Links as {dialer, listener}; the dialer dials again on a heal or a restart. */
    private final List<int[]> links = new ArrayList<>();

    private final List<int[]> cut = new ArrayList<>();

    SoakCluster(int size, Duration retention, boolean sharedLoops, StampClock clock, Random rng) {
        this.group = sharedLoops ? new MultiThreadIoEventLoopGroup(2, network.ioHandlerFactory()) : null;
        this.clock = clock;
        this.retention = retention;
        this.nodes = new SyncSocket[size];
        this.ports = new int[size];
        try {
            for (int i = 0; i < size; i++) {
                nodes[i] = start(0);
                ports[i] = nodes[i].mesh().localAddress().getPort();
                Set<Integer> to = new HashSet<>();
                while (to.size() < Math.min(i, 3)) {
                    to.add(rng.nextInt(i));
                }
                for (int j : to) {
                    links.add(new int[] {i, j});
                    dial(i, j);
                }
            }
            awaitLinks(links, true);
        } catch (RuntimeException | Error e) {
            close();
            throw e;
        }
    }

    private SyncSocket start(int port) {
        MeshConfig mesh = MeshConfig.builder()
                .bindHost(HOST)
                .port(port)
                .transport(network.plaintext())
                .eventLoopGroup(group)
                .clock(clock)
                .dialPeerLists(false)
                .keepAliveInterval(Duration.ofMillis(500))
                .keepAliveTimeout(Duration.ofSeconds(15))
                .build();
        return SyncSocket.start(SyncConfig.builder()
                .mesh(mesh)
                .leasing(false)
                .retention(retention)
                .leaseDuration(retention)
                .antiEntropyInterval(Duration.ofSeconds(1))
                .build());
    }

    int size() {
        return nodes.length;
    }

    SyncSocket node(int i) {
        return nodes[i];
    }

    private void dial(int from, int to) {
        nodes[from]
                .mesh()
                .connect(HOST, ports[to])
                // 10 s ran out once at a load average of 14 on two cores, while writers ran
                .orTimeout(30, TimeUnit.SECONDS)
                .join();
    }

    private boolean linked(int a, int b) {
        return nodes[a].mesh().routingTable().containsKey(nodes[b].id())
                && nodes[b].mesh().routingTable().containsKey(nodes[a].id());
    }

    private boolean unlinked(int a, int b) {
        return !nodes[a].mesh().routingTable().containsKey(nodes[b].id())
                && !nodes[b].mesh().routingTable().containsKey(nodes[a].id());
    }

    private void awaitLinks(List<int[]> which, boolean up) {
        await().atMost(Duration.ofSeconds(20))
                .until(() -> which.stream().allMatch(l -> up ? linked(l[0], l[1]) : unlinked(l[0], l[1])));
    }

    /** Cuts every link between {@code side} and the other nodes; returns how many of the soak's links. */
    int partition(Set<Integer> side) {
        network.partition(side.stream().map(i -> nodes[i].mesh().localAddress()).toList());
        for (int[] l : links) {
            if (side.contains(l[0]) != side.contains(l[1])) {
                cut.add(l);
            }
        }
        awaitLinks(cut, false);
        return cut.size();
    }

    /** Ends the partition and dials every cut link again. */
    void heal() {
        network.heal();
        redial(cut);
        cut.clear();
    }

    private void redial(List<int[]> which) {
        for (int[] l : which) {
            if (!linked(l[0], l[1])) {
                dial(l[0], l[1]);
            }
        }
        awaitLinks(which, true);
    }

    /**
     * Replaces node {@code i} by a fresh one with an empty store on the same port, which dials
     * the old node's links. Before closing it, the old node is cut off from every peer and makes
     * {@code doomed} writes no one receives (they do not count as made).
     */
    SyncSocket restart(int i, Map<Key, Object> doomed) {
        List<int[]> own = links.stream().filter(l -> l[0] == i || l[1] == i).toList();
        network.partition(List.of(nodes[i].mesh().localAddress()));
        String old = nodes[i].id();
        await().atMost(Duration.ofSeconds(20))
                .until(() -> nodes[i].mesh().routingTable().isEmpty()
                        && Arrays.stream(nodes)
                                .noneMatch(n -> n.mesh().routingTable().containsKey(old)));
        doomed.forEach((k, v) -> {
            try {
                nodes[i].set(k, v);
            } catch (LeaseConflictException refused) {
                // a same-second write of a smaller owner id holds the key: no write made either
            }
        });
        nodes[i].close();
        network.heal();
        nodes[i] = start(ports[i]);
        redial(own);
        return nodes[i];
    }

    /** Everything node {@code i} holds: key → [value, owner, timestamp]. */
    Map<Key, List<Object>> state(int i) {
        Map<Key, List<Object>> out = new TreeMap<>();
        SyncSocket n = nodes[i];
        for (Map.Entry<Key, Object> e : n.items()) {
            n.meta(e.getKey()).ifPresent(m -> out.put(e.getKey(), List.of(e.getValue(), m.owner(), m.timestamp())));
        }
        return out;
    }

    /** Whether every node holds exactly {@code expected}. */
    boolean allHold(Map<Key, List<Object>> expected) {
        for (int i = 0; i < nodes.length; i++) {
            if (!Values.deepEquals(expected, state(i))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() {
        for (SyncSocket n : nodes) {
            if (n != null) {
                n.close();
            }
        }
        if (group != null) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}
