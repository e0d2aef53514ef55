package dev.jv2p.it.mesh;

import static org.awaitility.Awaitility.await;

import dev.jv2p.mesh.MeshConfig;
import dev.jv2p.mesh.MeshSocket;
import dev.jv2p.mesh.Protocol;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A node running on an event loop group its caller owns leaves nothing behind on the group when
 * it closes: its periodic keep-alive task used to stay scheduled, so every closed node stayed
 * reachable (and kept running) for as long as the group lived. Found by the sync soak, which
 * restarts nodes on one shared group.
 */
class SharedLoopGroupTest {

    @Test
    void aClosedNodeOnASharedGroupCanBeCollected() {
        MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            WeakReference<MeshSocket> closed = startAndClose(group);
            await().atMost(Duration.ofSeconds(20))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> {
                        System.gc();
                        return closed.get() == null;
                    });
        } finally {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    private static WeakReference<MeshSocket> startAndClose(MultiThreadIoEventLoopGroup group) {
        MeshSocket node = MeshSocket.start(MeshConfig.builder()
                .bindHost("127.0.0.1")
                .port(0)
                .protocol(Protocol.defaultMesh())
                .eventLoopGroup(group)
                .keepAliveInterval(Duration.ofMillis(100))
                .build());
        node.close();
        return new WeakReference<>(node);
    }
}
