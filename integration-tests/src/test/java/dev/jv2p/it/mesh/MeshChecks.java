package dev.jv2p.it.mesh;

import dev.jv2p.mesh.MeshConfig;
import dev.jv2p.mesh.MeshSocket;
import dev.jv2p.mesh.Protocol;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * What the mesh tests here share on top of {@link dev.jv2p.mesh.testkit.TestMesh}: the node
 * settings they run with (short keep-alive, a chosen codec) and the check that a node still
 * serves its honest peer.
 */
final class MeshChecks {
    private MeshChecks() {}

    /** The settings of a node with js2p's codec, msgpack. */
    static UnaryOperator<MeshConfig.Builder> settings() {
        return settings(Protocol.DEFAULT_CODEC, b -> b);
    }

    /** The settings of a node with js2p's codec, then {@code custom}. */
    static UnaryOperator<MeshConfig.Builder> settings(UnaryOperator<MeshConfig.Builder> custom) {
        return settings(Protocol.DEFAULT_CODEC, custom);
    }

    /** The settings of a node whose protocol uses the codec named {@code codec}. */
    static UnaryOperator<MeshConfig.Builder> settings(String codec) {
        return settings(codec, b -> b);
    }

    /** The settings of a node whose protocol uses the codec named {@code codec}, then {@code custom}. */
    static UnaryOperator<MeshConfig.Builder> settings(String codec, UnaryOperator<MeshConfig.Builder> custom) {
        return b -> custom.apply(b.protocol(Protocol.defaultMesh().withCodec(codec))
                .keepAliveInterval(Duration.ofMillis(200))
                .keepAliveTimeout(Duration.ofSeconds(2)));
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
}
