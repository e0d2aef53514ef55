package dev.jv2p.it.mesh;

import dev.jv2p.mesh.MeshConfig;
import dev.jv2p.mesh.MeshSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/** Starts loopback nodes on OS-chosen ports and closes them all. */
final class MeshTestNodes implements AutoCloseable {
    private final List<MeshSocket> nodes = new ArrayList<>();

    MeshSocket start() {
        return start(b -> b);
    }

    MeshSocket start(UnaryOperator<MeshConfig.Builder> custom) {
        MeshConfig.Builder b = MeshConfig.builder().bindHost("127.0.0.1").port(0)
                .keepAliveInterval(Duration.ofMillis(200)).keepAliveTimeout(Duration.ofSeconds(2));
        MeshSocket node = MeshSocket.start(custom.apply(b).build());
        nodes.add(node);
        return node;
    }

    static void join(MeshSocket from, MeshSocket to) {
        from.connect("127.0.0.1", to.localAddress().getPort()).join();
    }

    @Override
    public void close() {
        for (MeshSocket n : nodes) {
            n.close();
        }
    }
}
