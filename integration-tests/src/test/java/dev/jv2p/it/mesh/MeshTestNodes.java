package dev.jv2p.it.mesh;

import dev.jv2p.mesh.MeshConfig;
import dev.jv2p.mesh.MeshSocket;
import dev.jv2p.mesh.Protocol;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/** Starts loopback nodes of one codec on OS-chosen ports and closes them all. */
final class MeshTestNodes implements AutoCloseable {
    private final List<MeshSocket> nodes = new ArrayList<>();
    private final String codec;

    /** Nodes with js2p's codec, msgpack. */
    MeshTestNodes() {
        this(Protocol.DEFAULT_CODEC);
    }

    /** Nodes whose protocol uses the codec named {@code codec}. */
    MeshTestNodes(String codec) {
        this.codec = codec;
    }

    MeshSocket start() {
        return start(b -> b);
    }

    MeshSocket start(UnaryOperator<MeshConfig.Builder> custom) {
        MeshConfig.Builder b = MeshConfig.builder()
                .bindHost("127.0.0.1")
                .port(0)
                .protocol(Protocol.defaultMesh().withCodec(codec))
                .keepAliveInterval(Duration.ofMillis(200))
                .keepAliveTimeout(Duration.ofSeconds(2));
        MeshSocket node = MeshSocket.start(custom.apply(b).build());
        nodes.add(node);
        return node;
    }

    /** Connects and waits until each side has the other in its routing table. */
    static void join(MeshSocket from, MeshSocket to) {
        from.connect("127.0.0.1", to.localAddress().getPort()).join();
        // connect() completes when 'from' accepted the handshake; 'to' may still be processing
        // its side, and a broadcast it sends before that reaches nobody.
        org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(10))
                .until(() -> to.routingTable().containsKey(from.id()));
    }

    /**
     * Checks that {@code node} and its peer {@code honest} still exchange broadcasts both ways
     * and that the node keeps the peer in its routing table. Drops what both had queued.
     */
    static void assertServes(MeshSocket node, MeshSocket honest) throws InterruptedException {
        String mark = "served-" + System.nanoTime();
        node.recv(Integer.MAX_VALUE);
        honest.recv(Integer.MAX_VALUE);
        honest.send(List.of(mark));
        awaitMark(node, honest.id(), mark);
        node.send(List.of(mark));
        awaitMark(honest, node.id(), mark);
        org.junit.jupiter.api.Assertions.assertTrue(
                node.routingTable().containsKey(honest.id()), "the node dropped its honest peer");
    }

    private static void awaitMark(MeshSocket at, String from, String mark) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            dev.jv2p.mesh.Message m = at.recv(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            if (m == null) {
                throw new AssertionError(at + " got no broadcast " + mark + " from " + from);
            }
            if (m.sender().equals(from) && m.packets().equals(List.of(0L, mark))) {
                return;
            }
        }
    }

    @Override
    public void close() {
        for (MeshSocket n : nodes) {
            n.close();
        }
    }
}
