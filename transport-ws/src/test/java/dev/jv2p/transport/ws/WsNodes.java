package dev.jv2p.transport.ws;

import dev.jv2p.mesh.MeshConfig;
import dev.jv2p.mesh.MeshSocket;
import dev.jv2p.mesh.PeerInfo;
import dev.jv2p.mesh.Protocol;
import dev.jv2p.mesh.spi.Transport;
import dev.jv2p.sync.SyncConfig;
import dev.jv2p.sync.SyncSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Starts loopback nodes on OS-chosen ports with a given transport and closes them all. */
final class WsNodes implements AutoCloseable {
    private final List<AutoCloseable> closers = new ArrayList<>();

    static MeshConfig.Builder meshConfig(Transport transport) {
        return MeshConfig.builder()
                .bindHost("127.0.0.1")
                .port(0)
                .protocol(new Protocol("mesh", transport.name()))
                .transport(transport);
    }

    MeshSocket mesh(Transport transport) {
        MeshSocket node = MeshSocket.start(meshConfig(transport).build());
        closers.add(node);
        return node;
    }

    SyncSocket sync(Transport transport) {
        SyncSocket node = SyncSocket.start(
                SyncConfig.builder().mesh(meshConfig(transport).build()).build());
        closers.add(node);
        return node;
    }

    static CompletableFuture<PeerInfo> dial(MeshSocket from, MeshSocket to) {
        return from.connect("127.0.0.1", to.localAddress().getPort());
    }

    @Override
    public void close() throws Exception {
        for (AutoCloseable c : closers) {
            c.close();
        }
    }
}
