package dev.jv2p.mesh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jv2p.mesh.spi.Network;
import dev.jv2p.mesh.spi.NodeIdentity;
import dev.jv2p.mesh.spi.Transport;
import io.netty.channel.Channel;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@link MeshConfig#nodeId()}: a plaintext node started with a given id keeps it on any address. */
class GivenNodeIdTest {
    private static final String ID = "pqRpCrrcD6qNScSvwJE6nusEm7dxvjMotyuRq558WwAh6eVPevcYdTDpL82zQhseM";

    private static MeshConfig.Builder config(Transport transport) {
        return MeshConfig.builder()
                .protocol(Protocol.defaultMesh().withCodec("tagged-test"))
                .codec(new TaggedTestCodec())
                .transport(transport);
    }

    @Test
    void aNodeStartedWithAnIdKeepsItOnAnotherPortAndPeersSeeIt() {
        InMemoryNetwork network = new InMemoryNetwork();
        try (MeshSocket peer = MeshSocket.start(config(network.plaintext()).build())) {
            int firstPort;
            try (MeshSocket node =
                    MeshSocket.start(config(network.plaintext()).nodeId(ID).build())) {
                assertEquals(ID, node.id());
                firstPort = node.localAddress().getPort();
                PeerInfo seen = peer.connect("127.0.0.1", firstPort).join();
                assertEquals(ID, seen.id());
            }
            try (MeshSocket again =
                    MeshSocket.start(config(network.plaintext()).nodeId(ID).build())) {
                assertNotEquals(firstPort, again.localAddress().getPort());
                assertEquals(ID, again.id());
                PeerInfo seen = peer.connect("127.0.0.1", again.localAddress().getPort())
                        .join();
                assertEquals(ID, seen.id(), "peers never check an id against an address (spec §8.3)");
            }
            try (MeshSocket computed =
                    MeshSocket.start(config(network.plaintext()).build())) {
                assertNotEquals(ID, computed.id());
                assertTrue(computed.id().length() >= 60, computed.id());
            }
        }
    }

    @Test
    void aBadIdIsRefusedNamingTheField() {
        assertEquals(
                "MeshConfig.nodeId must be 16..128 characters, was 5",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> MeshConfig.builder().nodeId("abcde").build())
                        .getMessage());
        String notBase58 = "0OIl" + ID.substring(4);
        String message = assertThrows(
                        IllegalArgumentException.class,
                        () -> MeshConfig.builder().nodeId(notBase58).build())
                .getMessage();
        assertTrue(message.startsWith("MeshConfig.nodeId must be base58"), message);
        message = assertThrows(
                        IllegalArgumentException.class,
                        () -> MeshConfig.builder().nodeId(ID).salt("s").build())
                .getMessage();
        assertEquals("MeshConfig.nodeId and salt exclude each other: a salt only feeds a computed id", message);
        assertEquals(ID, MeshConfig.builder().nodeId(ID).build().nodeId());
        assertEquals(
                ID, MeshConfig.builder().nodeId(ID).build().toBuilder().build().nodeId());
    }

    @Test
    void aTransportWhoseIdComesFromAKeyRefusesAnotherId() {
        Transport keyed = keyed(new InMemoryNetwork().plaintext(), "KeyDerivedNodeKey11111");
        String message = assertThrows(
                        IllegalArgumentException.class,
                        () -> MeshSocket.start(config(keyed).nodeId(ID).build()))
                .getMessage();
        assertTrue(message.startsWith("MeshConfig.nodeId " + ID + " is not the id KeyDerivedNodeKey11111"), message);
        try (MeshSocket same =
                MeshSocket.start(config(keyed).nodeId("KeyDerivedNodeKey11111").build())) {
            assertEquals("KeyDerivedNodeKey11111", same.id());
        }
    }

    /** {@code plain} with an identity whose id is {@code id}: enough for a node to take its id from it. */
    private static Transport keyed(Transport plain, String id) {
        NodeIdentity identity = new NodeIdentity() {
            @Override
            public String nodeId() {
                return id;
            }

            @Override
            public byte[] sign(byte[] message) {
                return new byte[0];
            }

            @Override
            public boolean verify(String nodeId, byte[] message, byte[] signature) {
                return false;
            }
        };
        return new Transport() {
            @Override
            public String name() {
                return plain.name();
            }

            @Override
            public void initChannel(Channel channel, boolean client) throws Exception {
                plain.initChannel(channel, client);
            }

            @Override
            public Optional<NodeIdentity> identity() {
                return Optional.of(identity);
            }

            @Override
            public Network network() {
                return plain.network();
            }
        };
    }
}
