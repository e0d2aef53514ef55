package dev.jv2p.it.mesh;

import static dev.jv2p.it.mesh.MeshChecks.settings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jv2p.codec.msgpack.MsgpackCodec;
import dev.jv2p.it.sync.RawPeer;
import dev.jv2p.mesh.MeshSocket;
import dev.jv2p.mesh.Message;
import dev.jv2p.mesh.PeerInfo;
import dev.jv2p.mesh.internal.wire.Frames;
import dev.jv2p.mesh.spi.Flags;
import dev.jv2p.mesh.testkit.TestMesh;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A handshake sent under main flag broadcast is neither relayed nor applied: relayed, it
 * closed (malformed) or rewrote (well formed) the link of every node it reached. Found by
 * {@code LiveSyncNodeFuzzTest}. Likewise a broadcast peers list (acted on, it would make
 * every node of the mesh dial addresses of one peer's choosing) and a broadcast {@code '*'}
 * request (every node would send its full state to whichever neighbour relayed it).
 */
class BroadcastHandshakeTest {
    private static final MsgpackCodec CODEC = new MsgpackCodec();

    private final TestMesh mesh = TestMesh.loopback();
    private MeshSocket node;
    private MeshSocket honest;

    @BeforeEach
    void nodeWithAnHonestPeer() {
        node = mesh.start("node", settings());
        honest = mesh.start("honest", settings());
        mesh.joinAndAwait(honest, node);
    }

    @AfterEach
    void close() {
        mesh.close();
    }

    @Test
    void aMalformedBroadcastHandshakeDoesNotCloseTheLinksOfOtherNodes() throws Exception {
        try (Socket adversary = handshaken(node, "adversary")) {
            send(
                    adversary,
                    List.of(
                            (long) Flags.BROADCAST,
                            "adversary",
                            node.now(),
                            (long) Flags.HANDSHAKE,
                            "x",
                            "y",
                            "z",
                            "w"));

            assertRelays(adversary, node, honest);
        }
    }

    @Test
    void aWellFormedBroadcastHandshakeLeavesTheLinksOfOtherNodesAsTheyWere() throws Exception {
        PeerInfo before = honest.routingTable().get(node.id());

        try (Socket adversary = handshaken(node, "adversary")) {
            send(
                    adversary,
                    List.of(
                            (long) Flags.BROADCAST,
                            "adversary",
                            node.now(),
                            (long) Flags.HANDSHAKE,
                            "adversary",
                            node.protocolId(),
                            List.of("127.0.0.1", 1L),
                            List.of(0x13L, 0x11L)));

            assertRelays(adversary, node, honest);
        }
        PeerInfo after = honest.routingTable().get(node.id());
        assertEquals(before.advertisedPort(), after.advertisedPort());
        assertEquals(before.compression(), after.compression());
    }

    @Test
    void aBroadcastPeersListMakesNoNodeDialTheAddressesInIt() throws Exception {
        try (ServerSocketChannel broadcastTrap = trap();
                ServerSocketChannel whisperTrap = trap();
                Socket adversary = handshaken(node, "adversary")) {
            send(
                    adversary,
                    List.of(
                            (long) Flags.BROADCAST,
                            "adversary",
                            node.now(),
                            (long) Flags.PEERS,
                            List.of(List.of(List.of("127.0.0.1", (long) port(broadcastTrap)), "trap-1"))));
            assertRelays(adversary, node, honest);
            // The control: the same list whispered is acted on. Dials start in the order
            // the lists arrive, so once the second trap has a connection, the first would have one too.
            send(
                    adversary,
                    List.of(
                            (long) Flags.WHISPER,
                            "adversary",
                            node.now(),
                            (long) Flags.PEERS,
                            List.of(List.of(List.of("127.0.0.1", (long) port(whisperTrap)), "trap-2"))));
            whisperTrap.configureBlocking(true);
            try (SocketChannel dialed = whisperTrap.accept()) {
                assertNotNull(dialed);
            }
            broadcastTrap.configureBlocking(false);
            assertNull(broadcastTrap.accept(), "a node dialed an address from a broadcast peers list");
        }
    }

    @Test
    void broadcastStarRequestsAreNeitherRelayedNorAnswered() throws Exception {
        long relayedBefore = node.stats().relayed();

        try (RawPeer adversary =
                RawPeer.connect(node.localAddress().getPort(), node.protocolId(), "adversary", node.maxFrameLength())) {
            // Distinct times, so that none is a duplicate of another. Answered, the
            // eleventh would be the tenth ignored in a row and close the connection.
            for (int i = 0; i < 12; i++) {
                adversary.send(List.of((long) Flags.BROADCAST, "adversary", node.now() - i, (long) Flags.REQUEST, "*"));
            }
            assertTrue(adversary.roundTrip(node.id(), Duration.ofSeconds(10)), "the node closed the connection");
        }
        assertEquals(relayedBefore, node.stats().relayed(), "the node relayed a broadcast '*' request");
    }

    private static ServerSocketChannel trap() throws IOException {
        return ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
    }

    private static int port(ServerSocketChannel trap) throws IOException {
        return ((InetSocketAddress) trap.getLocalAddress()).getPort();
    }

    private static Socket handshaken(MeshSocket node, String id) throws IOException {
        Socket socket = new Socket("127.0.0.1", node.localAddress().getPort());
        send(
                socket,
                List.of(
                        (long) Flags.WHISPER,
                        id,
                        node.now(),
                        (long) Flags.HANDSHAKE,
                        id,
                        node.protocolId(),
                        List.of("127.0.0.1", 2L),
                        List.of()));
        return socket;
    }

    /** A broadcast sent after the handshake still reaches the honest peer through the node. */
    private static void assertRelays(Socket adversary, MeshSocket node, MeshSocket honest) throws Exception {
        send(adversary, List.of((long) Flags.BROADCAST, "adversary", node.now(), (long) Flags.BROADCAST, "after"));
        Message m = honest.recv(Duration.ofSeconds(5));
        assertNotNull(m, "the honest peer no longer gets the node's relays");
        assertEquals(List.of(0L, "after"), m.packets());
        assertEquals(List.of(node.id()), List.copyOf(honest.routingTable().keySet()));
    }

    private static void send(Socket socket, List<?> packetList) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(Frames.frame(Frames.block(CODEC.encode(packetList))));
        out.flush();
    }
}
