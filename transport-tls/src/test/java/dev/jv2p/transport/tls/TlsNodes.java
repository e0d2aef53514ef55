package dev.jv2p.transport.tls;

import dev.jv2p.mesh.MeshConfig;
import dev.jv2p.mesh.MeshSocket;
import dev.jv2p.mesh.PeerInfo;
import dev.jv2p.mesh.Protocol;
import dev.jv2p.mesh.spi.Transport;
import dev.jv2p.mesh.testkit.TestMesh;
import dev.jv2p.sync.SyncConfig;
import dev.jv2p.sync.SyncSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;

/**
 * The TLS tests' node settings on a {@link TestMesh}: {@link #loopback()} for tests of the
 * transport itself (real TCP sockets of 127.0.0.1), {@link #inMemory()} for tests of what runs
 * over it (TLS over the emulated network). Closes its nodes with the mesh.
 */
final class TlsNodes implements AutoCloseable {
    private final TestMesh mesh;
    private int started;

    private TlsNodes(TestMesh mesh) {
        this.mesh = mesh;
    }

    /** Nodes on TCP sockets of 127.0.0.1 at ports the OS chooses. */
    static TlsNodes loopback() {
        return new TlsNodes(TestMesh.loopback());
    }

    /** Nodes on an emulated in-memory network, in real time. */
    static TlsNodes inMemory() {
        return new TlsNodes(TestMesh.realTime());
    }

    /** The settings of a node of this mesh whose channels go through {@code transport}. */
    MeshConfig.Builder meshConfig(Transport transport) {
        return mesh.config("node-" + ++started, transport)
                .protocol(new Protocol("mesh", transport.name()))
                .handshakeTimeout(Duration.ofSeconds(30))
                .keepAliveInterval(Duration.ofMillis(500))
                .keepAliveTimeout(Duration.ofSeconds(5));
    }

    MeshSocket mesh(Transport transport) {
        return mesh(meshConfig(transport));
    }

    MeshSocket mesh(MeshConfig.Builder config) {
        return mesh.track(MeshSocket.start(config.build()));
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
        return this.mesh.track(SyncSocket.start(config));
    }

    /** Dials {@code to} from {@code from}; the future tells whether the handshake was accepted. */
    static CompletableFuture<PeerInfo> dial(MeshSocket from, MeshSocket to) {
        return from.connect(to.localAddress().getHostString(), to.localAddress().getPort());
    }

    /** Connects and waits until each holds the other in its routing table. */
    void join(MeshSocket from, MeshSocket to) {
        mesh.joinAndAwait(from, to);
    }

    /** As {@link #join(MeshSocket, MeshSocket)} for the meshes of two sync nodes. */
    void join(SyncSocket from, SyncSocket to) {
        join(from.mesh(), to.mesh());
    }

    @Override
    public void close() {
        mesh.close();
    }
}
