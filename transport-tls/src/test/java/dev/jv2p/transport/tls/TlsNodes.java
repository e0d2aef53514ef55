package dev.jv2p.transport.tls;

import dev.jv2p.mesh.MeshConfig;
import dev.jv2p.mesh.MeshSocket;
import dev.jv2p.mesh.PeerInfo;
import dev.jv2p.mesh.Protocol;
import dev.jv2p.mesh.spi.Transport;
import dev.jv2p.sync.SyncConfig;
import dev.jv2p.sync.SyncSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;

/** Starts loopback TLS (or other) nodes on OS-chosen ports and closes them all. */
final class TlsNodes implements AutoCloseable {
    private final List<Runnable> closers = new ArrayList<>();

    static MeshConfig.Builder meshConfig(Transport transport) {
        MeshConfig.Builder b = MeshConfig.builder()
                .bindHost("127.0.0.1")
                .port(0)
                .protocol(new Protocol("mesh", transport.name()))
                .handshakeTimeout(Duration.ofSeconds(30))
                .keepAliveInterval(Duration.ofMillis(500))
                .keepAliveTimeout(Duration.ofSeconds(5));
        return b.transport(transport);
    }

    MeshSocket mesh(Transport transport) {
        return mesh(meshConfig(transport));
    }

    MeshSocket mesh(MeshConfig.Builder config) {
        MeshSocket node = MeshSocket.start(config.build());
        closers.add(node::close);
        return node;
    }

    SyncSocket sync(Transport transport) {
        return sync(transport, m -> m);
    }

    SyncSocket sync(Transport transport, UnaryOperator<MeshConfig.Builder> mesh) {
        return sync(transport, mesh, s -> s);
    }

    SyncSocket sync(
            Transport transport, UnaryOperator<MeshConfig.Builder> mesh, UnaryOperator<SyncConfig.Builder> sync) {
        SyncConfig config = sync.apply(SyncConfig.builder()
                        .mesh(mesh.apply(meshConfig(transport)).build())
                        .antiEntropyInterval(Duration.ofMillis(300)))
                .build();
        SyncSocket node = SyncSocket.start(config);
        closers.add(node::close);
        return node;
    }

    static CompletableFuture<PeerInfo> dial(MeshSocket from, MeshSocket to) {
        return from.connect("127.0.0.1", to.localAddress().getPort());
    }

    static void join(SyncSocket from, SyncSocket to) {
        dial(from.mesh(), to.mesh()).join();
    }

    @Override
    public void close() {
        for (Runnable c : closers) {
            c.run();
        }
    }
}
