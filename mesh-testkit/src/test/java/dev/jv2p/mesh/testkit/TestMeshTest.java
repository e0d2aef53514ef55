package dev.jv2p.mesh.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jv2p.mesh.MeshSocket;
import dev.jv2p.mesh.spi.Transport;
import io.netty.channel.Channel;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Where {@link TestMesh} puts its nodes: on the emulated network, or on loopback TCP. */
class TestMeshTest {

    @Test
    void loopbackNodesListenOnTcpSocketsOf127001AndJoin() throws Exception {
        try (TestMesh mesh = TestMesh.loopback()) {
            MeshSocket a = mesh.start("a");
            MeshSocket b = mesh.start("b");
            assertEquals("127.0.0.1", a.localAddress().getHostString());
            mesh.joinAndAwait(b, a);
            try (Socket raw = new Socket("127.0.0.1", a.localAddress().getPort())) {
                assertTrue(raw.isConnected(), "a is not listening on a TCP socket");
            }
            assertThrows(IllegalStateException.class, mesh::network);
            assertThrows(IllegalStateException.class, mesh::time);
        }
    }

    @Test
    void aNodeGivenATransportUsesItOverTheEmulatedNetwork() {
        try (TestMesh mesh = TestMesh.virtual()) {
            Counting counting = new Counting();
            MeshSocket a =
                    mesh.track(MeshSocket.start(mesh.config("a", counting).build()));
            MeshSocket b = mesh.start("b");
            mesh.joinAndAwait(a, b);
            assertEquals(1, counting.channels.get(), "the node's channel did not go through its transport");
            assertEquals(1, mesh.network().dialed("a", "b"), "the link is not on the emulated network");
        }
    }

    /** Plaintext that counts the channels it sets up. */
    private static final class Counting implements Transport {
        final AtomicInteger channels = new AtomicInteger();

        @Override
        public String name() {
            return "Plaintext";
        }

        @Override
        public void initChannel(Channel channel, boolean client) {
            channels.incrementAndGet();
        }
    }
}
