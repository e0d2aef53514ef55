package dev.jv2p.it.mesh;

import static dev.jv2p.it.mesh.MeshChecks.settings;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jv2p.it.HeapUse;
import dev.jv2p.mesh.MeshSocket;
import dev.jv2p.mesh.testkit.TestMesh;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A flood of connections that never handshake. What jv2p guarantees: the node never holds
 * more than {@code maxPeers} connections plus {@link #REFERRALS} (connections past the limit
 * that get the handshake and, once they answer it, the peers list and a close), so those past
 * both are closed at once without a byte; those it accepted are closed when {@code handshakeTimeout} ends; peers connected
 * before the flood are served throughout; and a new peer can connect once the flood's
 * connections have timed out. While they hold every free slot, a new peer is refused like
 * any connection past the limit (as long as {@code handshakeTimeout} at most, for
 * connections that never handshake).
 */
class ConnectionFloodTest {
    private static final int MAX_PEERS = 8;
    private static final int FLOOD = 40;
    /** {@code Router.MAX_REFERRALS}: connections past {@code maxPeers} sent the peers list. */
    private static final int REFERRALS = 16;

    @Test
    void aFloodOfSilentConnectionsIsCappedAndTimedOutAndHonestPeersAreServed() throws Exception {
        try (TestMesh mesh = TestMesh.loopback()) {
            MeshSocket node =
                    mesh.start("node", settings(b -> b.maxPeers(MAX_PEERS).handshakeTimeout(Duration.ofSeconds(2))));
            MeshSocket honest = mesh.start("honest", settings());
            mesh.joinAndAwait(honest, node);
            long before = HeapUse.settled();

            List<Socket> flood = new ArrayList<>();
            try {
                for (int i = 0; i < FLOOD; i++) {
                    Socket s = new Socket("127.0.0.1", node.localAddress().getPort());
                    s.setSoTimeout(10_000);
                    flood.add(s);
                }
                MeshChecks.assertServes(node, honest);
                int accepted = 0;
                for (Socket s : flood) {
                    // An accepted connection gets the node's handshake at once; a refused one, the end of the stream.
                    if (readUntilClosed(s.getInputStream()) > 0) {
                        accepted++;
                    }
                }
                assertEquals(
                        MAX_PEERS - 1 + REFERRALS,
                        accepted,
                        "connections the node accepted (or took to refer) beside its honest peer");
            } finally {
                for (Socket s : flood) {
                    s.close();
                }
            }

            MeshSocket newcomer = mesh.start("newcomer", settings());
            mesh.joinAndAwait(newcomer, node);
            MeshChecks.assertServes(node, honest);
            MeshChecks.assertServes(node, newcomer);
            HeapUse.assertBounded(before, "a flood of " + FLOOD + " silent connections");
        }
    }

    /** Reads until the node closes the connection; returns how many bytes came. */
    private static int readUntilClosed(InputStream in) throws IOException {
        byte[] buffer = new byte[4096];
        int total = 0;
        try {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                total += n;
            }
        } catch (SocketException e) {
            // reset by the node
        }
        return total;
    }
}
