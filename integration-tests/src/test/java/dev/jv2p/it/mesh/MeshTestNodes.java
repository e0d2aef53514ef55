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
        MeshConfig.Builder b = MeshConfig.builder().bindHost("127.0.0.1").port(0)
                .protocol(Protocol.defaultMesh().withCodec(codec))
                .keepAliveInterval(Duration.ofMillis(200)).keepAliveTimeout(Duration.ofSeconds(2));
        MeshSocket node = MeshSocket.start(custom.apply(b).build());
        nodes.add(node);
        return node;
    }

    /** Connects and waits until each side has the other in its routing table. */
    static void join(MeshSocket from, MeshSocket to) {
        from.connect("127.0.0.1", to.localAddress().getPort()).join();
        // connect() completes when 'from' accepted the handshake; 'to' may still be processing
        // its side, and a broadcast it sends before that reaches nobody.
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                .until(() -> to.routingTable().containsKey(from.id()));
    }

    @Override
    public void close() {
        for (MeshSocket n : nodes) {
            n.close();
        }
    }
}
