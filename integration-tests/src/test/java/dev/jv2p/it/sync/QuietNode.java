package dev.jv2p.it.sync;

import dev.jv2p.mesh.MeshConfig;
import dev.jv2p.mesh.Protocol;
import dev.jv2p.sync.SyncConfig;
import dev.jv2p.sync.SyncSocket;
import java.time.Duration;

/**
 * The node that tests driving a raw peer talk to: a sync node on loopback (port from the OS) that
 * dials no peers list and runs no anti-entropy round within a test, so every frame it sends is
 * one the test caused.
 */
final class QuietNode {
    private QuietNode() {}

    /** Its mesh settings: loopback, a port from the OS, the default protocol, no peers-list dialing. */
    static MeshConfig.Builder mesh() {
        return MeshConfig.builder()
                .bindHost("127.0.0.1")
                .port(0)
                .protocol(Protocol.defaultMesh())
                .dialPeerLists(false);
    }

    static SyncSocket start() {
        return SyncSocket.start(SyncConfig.builder()
                .mesh(mesh().build())
                .antiEntropyInterval(Duration.ofHours(1))
                .build());
    }
}
