package dev.jv2p.it.mesh;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jv2p.mesh.HandshakeException;
import dev.jv2p.mesh.InMemoryNetwork;
import dev.jv2p.mesh.MeshConfig;
import dev.jv2p.mesh.MeshException;
import dev.jv2p.mesh.MeshSocket;
import dev.jv2p.mesh.Message;
import dev.jv2p.mesh.Protocol;
import dev.jv2p.sync.SyncConfig;
import dev.jv2p.sync.SyncSocket;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** Nodes on an {@link InMemoryNetwork}: the mesh works as on TCP, and only within one network. */
class InMemoryNetworkTest {

    private static MeshSocket start(
            InMemoryNetwork network, List<MeshSocket> started, UnaryOperator<MeshConfig.Builder> custom) {
        MeshSocket node = MeshSocket.start(custom.apply(MeshConfig.builder()
                        .bindHost("127.0.0.1")
                        .port(0)
                        .protocol(Protocol.defaultMesh())
                        .transport(network.plaintext()))
                .build());
        started.add(node);
        return node;
    }

    /** Every frame sent has arrived and no dial is pending: in memory, nothing is in flight. */
    private static boolean quiet(List<MeshSocket> nodes) {
        long in = 0;
        long out = 0;
        for (MeshSocket n : nodes) {
            in += n.stats().framesIn();
            out += n.stats().framesOut();
            if (n.status().pendingConnections() > 0) {
                return false;
            }
        }
        return in == out;
    }

    private static void closeAll(List<MeshSocket> nodes) {
        nodes.forEach(MeshSocket::close);
    }

    @Test
    void fiveNodesThroughOneSeedFindEachOtherAndBroadcastsReachAllExactlyOnce() throws Exception {
        InMemoryNetwork network = new InMemoryNetwork();
        List<MeshSocket> all = new ArrayList<>();
        try {
            MeshSocket seed = start(network, all, b -> b);
            for (int i = 0; i < 4; i++) {
                MeshSocket n = start(network, all, b -> b);
                n.connect("127.0.0.1", seed.localAddress().getPort()).join();
            }
            // the peers lists name in-memory addresses, and the nodes dial them
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> all.stream().allMatch(n -> n.routingTable().size() >= 2));
            for (MeshSocket n : all) {
                assertTrue(n.localAddress().getPort() >= 49152, "an in-memory port: " + n.localAddress());
            }
            for (MeshSocket origin : all) {
                origin.send(List.of("from " + origin.id()));
                for (MeshSocket n : all) {
                    if (n != origin) {
                        Message m = n.recv(Duration.ofSeconds(5));
                        assertEquals(origin.id(), m.sender(), "at " + n.id());
                        assertEquals(List.of(0L, "from " + origin.id()), m.packets());
                    }
                }
            }
            for (MeshSocket n : all) {
                assertNull(n.recv(Duration.ofMillis(200)), "duplicate delivery at " + n.id());
            }
            Message m;
            all.get(1).send(List.of("ask"));
            m = seed.recv(Duration.ofSeconds(5));
            m.reply(List.of("answer"));
            Message r = all.get(1).recv(Duration.ofSeconds(5));
            assertEquals(List.of(2L, "answer"), r.packets());
            assertEquals(seed.id(), r.sender());
        } finally {
            closeAll(all);
        }
    }

    @Test
    void nodesOfAnotherNetworkAreOutOfReach() {
        InMemoryNetwork one = new InMemoryNetwork();
        InMemoryNetwork other = new InMemoryNetwork();
        List<MeshSocket> all = new ArrayList<>();
        try {
            start(one, all, n -> n);
            MeshSocket a = start(one, all, n -> n);
            MeshSocket b = start(other, all, n -> n);
            int port = a.localAddress().getPort();
            assertEquals(port - 1, b.localAddress().getPort(), "each network hands out its own ports");
            CompletionException e = assertThrows(
                    CompletionException.class,
                    () -> b.connect("127.0.0.1", port).join());
            assertInstanceOf(HandshakeException.class, e.getCause());
            assertTrue(
                    e.getCause().getMessage().contains("cannot connect to 127.0.0.1:" + port),
                    e.getCause().getMessage());
            assertTrue(a.routingTable().isEmpty());
        } finally {
            closeAll(all);
        }
    }

    @Test
    void badAddressesAreRefusedWithTheReason() {
        InMemoryNetwork network = new InMemoryNetwork();
        List<MeshSocket> all = new ArrayList<>();
        try {
            MeshSocket a = start(network, all, b -> b);
            MeshSocket taken = start(network, all, b -> b.port(4000));
            MeshException busy = assertThrows(MeshException.class, () -> start(network, all, b -> b.port(4000)));
            assertTrue(busy.getMessage().contains("cannot listen on 127.0.0.1:4000"), busy.getMessage());
            MeshException wildcard = assertThrows(
                    MeshException.class,
                    () -> start(network, all, b -> b.bindHost("0.0.0.0").advertisedHost("node")));
            assertTrue(wildcard.getMessage().contains("no wildcard address"), wildcard.getMessage());
            CompletionException nobody = assertThrows(
                    CompletionException.class,
                    () -> a.connect("127.0.0.1", 4001).join());
            assertTrue(
                    nobody.getCause().getMessage().contains("cannot connect to 127.0.0.1:4001"),
                    nobody.getCause().getMessage());
            CompletionException otherHost = assertThrows(
                    CompletionException.class, () -> a.connect("10.0.0.1", 4000).join());
            assertTrue(
                    otherHost.getCause().getMessage().contains("cannot connect to 10.0.0.1:4000"),
                    otherHost.getCause().getMessage());
            a.connect("127.0.0.1", 4000).join();
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> taken.routingTable().containsKey(a.id()));
        } finally {
            closeAll(all);
        }
    }

    @Test
    void manyNodesShareOneEventLoopGroupBuiltForTheNetwork() throws Exception {
        InMemoryNetwork network = new InMemoryNetwork();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, network.ioHandlerFactory());
        List<MeshSocket> all = new ArrayList<>();
        try {
            for (int i = 0; i < 20; i++) {
                MeshSocket n = start(network, all, b -> b.eventLoopGroup(group));
                if (i > 0) {
                    n.connect("127.0.0.1", all.get(i - 1).localAddress().getPort())
                            .join();
                }
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> quiet(all));
            long[] before = all.stream().mapToLong(n -> n.stats().framesOut()).toArray();
            MeshSocket first = all.get(0);
            first.send(List.of("to all"));
            for (MeshSocket n : all.subList(1, all.size())) {
                Message m = n.recv(Duration.ofSeconds(10));
                assertEquals(first.id(), m.sender());
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> quiet(all));
            for (int i = 0; i < all.size(); i++) {
                MeshSocket n = all.get(i);
                // flooding sends a broadcast at most once over each link, as over TCP
                long sent = n.stats().framesOut() - before[i];
                assertTrue(
                        sent <= n.routingTable().size(),
                        "node " + i + " sent " + sent + " frames to "
                                + n.routingTable().size() + " peers");
            }
        } finally {
            closeAll(all);
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    private static void link(MeshSocket from, MeshSocket to) {
        from.connect("127.0.0.1", to.localAddress().getPort()).join();
        await().atMost(Duration.ofSeconds(5)).until(() -> to.routingTable().containsKey(from.id()));
    }

    @Test
    void aDisconnectedPeerLeavesBothRoutingTables() {
        InMemoryNetwork network = new InMemoryNetwork();
        List<MeshSocket> all = new ArrayList<>();
        try {
            MeshSocket a = start(network, all, n -> n.dialPeerLists(false));
            MeshSocket b = start(network, all, n -> n.dialPeerLists(false));
            link(a, b);
            a.disconnect(b.id());
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> a.routingTable().isEmpty() && b.routingTable().isEmpty());
        } finally {
            closeAll(all);
        }
    }

    @Test
    void aPartitionClosesTheLinksBetweenTheGroupsAndRefusesDialsUntilHealed() {
        InMemoryNetwork network = new InMemoryNetwork();
        List<MeshSocket> all = new ArrayList<>();
        try {
            MeshSocket a = start(network, all, n -> n.dialPeerLists(false));
            MeshSocket b = start(network, all, n -> n.dialPeerLists(false));
            MeshSocket c = start(network, all, n -> n.dialPeerLists(false));
            link(a, b);
            link(c, a);
            link(b, c);

            network.partition(Set.of(a.localAddress()));
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> a.routingTable().isEmpty()
                            && !b.routingTable().containsKey(a.id())
                            && !c.routingTable().containsKey(a.id()));
            assertEquals(Set.of(c.id()), b.routingTable().keySet(), "a link within one group was cut");
            for (MeshSocket[] pair : new MeshSocket[][] {{a, b}, {c, a}}) {
                CompletionException e = assertThrows(
                        CompletionException.class,
                        () -> pair[0].connect(
                                        "127.0.0.1", pair[1].localAddress().getPort())
                                .join());
                assertInstanceOf(HandshakeException.class, e.getCause());
                assertTrue(
                        e.getCause().getMessage().contains("partition"),
                        e.getCause().getMessage());
            }
            assertThrows(IllegalStateException.class, () -> network.partition(Set.of(b.localAddress())));

            network.heal();
            link(a, b);
            link(c, a);
            assertEquals(Set.of(b.id(), c.id()), a.routingTable().keySet());
        } finally {
            closeAll(all);
        }
    }

    @Test
    void syncSocketsReplicateOverIt() {
        InMemoryNetwork network = new InMemoryNetwork();
        try (SyncSocket a = startSync(network);
                SyncSocket b = startSync(network)) {
            a.set("written on a", "before the join");
            b.mesh().connect("127.0.0.1", a.mesh().localAddress().getPort()).join();
            b.set("written on b", "after the join");
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> "before the join".equals(b.get("written on a", null))
                            && "after the join".equals(a.get("written on b", null)));
        }
    }

    private static SyncSocket startSync(InMemoryNetwork network) {
        return SyncSocket.start(SyncConfig.builder()
                .mesh(MeshConfig.builder()
                        .bindHost("127.0.0.1")
                        .port(0)
                        .transport(network.plaintext())
                        .build())
                .build());
    }
}
