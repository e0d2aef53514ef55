package dev.jv2p.transport.ws;

import dev.jv2p.mesh.MeshConfig;
import dev.jv2p.mesh.MeshSocket;
import dev.jv2p.mesh.PeerInfo;
import dev.jv2p.mesh.Protocol;
import dev.jv2p.mesh.spi.Transport;
import dev.jv2p.mesh.testkit.TestMesh;
import dev.jv2p.sync.SyncConfig;
import dev.jv2p.sync.SyncSocket;
import java.util.concurrent.CompletableFuture;

/**
 * The WebSocket tests' nodes: on a {@link TestMesh#loopback()} (real TCP sockets of 127.0.0.1,
 * as a transport test needs), each with the given transport; closes them with the mesh.
 */
final class WsNodes implements AutoCloseable {
    private final TestMesh mesh = TestMesh.loopback();
    private int started;

    private MeshConfig.Builder meshConfig(Transport transport) {
        return mesh.config("node-" + ++started, transport).protocol(new Protocol("mesh", transport.name()));
    }

    MeshSocket mesh(Transport transport) {
        return mesh.track(MeshSocket.start(meshConfig(transport).build()));
    }

    SyncSocket sync(Transport transport) {
        return mesh.track(SyncSocket.start(
                SyncConfig.builder().mesh(meshConfig(transport).build()).build()));
    }

    /** Dials {@code to} from {@code from}; the future tells whether the handshake was accepted. */
    static CompletableFuture<PeerInfo> dial(MeshSocket from, MeshSocket to) {
        return from.connect(to.localAddress().getHostString(), to.localAddress().getPort());
    }

    /** Connects and waits until each holds the other in its routing table. */
    void join(MeshSocket from, MeshSocket to) {
        mesh.joinAndAwait(from, to);
    }

    @Override
    public void close() {
        mesh.close();
    }
}
