package dev.jv2p.it.mesh;

import static dev.jv2p.it.mesh.MeshChecks.settings;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jv2p.codec.msgpack.MsgpackCodec;
import dev.jv2p.mesh.MeshSocket;
import dev.jv2p.mesh.internal.wire.Frames;
import dev.jv2p.mesh.spi.DecodeLimits;
import dev.jv2p.mesh.spi.Flags;
import dev.jv2p.mesh.testkit.TestMesh;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A node that cannot listen (js2p in a browser) announces the address {@code [nil, nil]}: it is
 * accepted, kept without an advertised host, and never named in a peers list; half an address
 * is still malformed.
 */
class AddresslessPeerTest {
    private static final MsgpackCodec CODEC = new MsgpackCodec();
    private static final Duration T = Duration.ofSeconds(10);

    private static byte[] handshake(MeshSocket node, String id, List<?> address) {
        return Frames.frame(Frames.block(CODEC.encode(List.of(
                (long) Flags.WHISPER,
                id,
                node.now(),
                (long) Flags.HANDSHAKE,
                id,
                node.protocolId(),
                address,
                List.of()))));
    }

    private static Socket dial(MeshSocket node, byte[] handshake) throws IOException {
        Socket s = new Socket("127.0.0.1", node.localAddress().getPort());
        s.setSoTimeout(10_000);
        OutputStream out = s.getOutputStream();
        out.write(handshake);
        out.flush();
        return s;
    }

    /** The packets of the next frame the node sends, uncompressed (nothing was announced). */
    private static List<Object> readMessage(DataInputStream in) throws Exception {
        byte[] body = new byte[in.readInt()];
        in.readFully(body);
        return CODEC.decode(Frames.open(body, List.of(), body.length).payload(), DecodeLimits.DEFAULT);
    }

    @Test
    void aPeerAnnouncingNoAddressIsKeptWithoutOneAndNeverListed() throws Exception {
        try (TestMesh mesh = TestMesh.loopback()) {
            MeshSocket node = mesh.start("node", settings());
            try (Socket browser = dial(node, handshake(node, "browser", Arrays.asList(null, null)))) {
                await().atMost(T).until(() -> node.routingTable().containsKey("browser"));
                assertNull(node.routingTable().get("browser").advertisedHost());

                try (Socket other = dial(node, handshake(node, "other", List.of("127.0.0.1", 1L)))) {
                    DataInputStream in = new DataInputStream(other.getInputStream());
                    List<Object> peers = null;
                    while (peers == null) {
                        List<Object> m = readMessage(in);
                        if (m.size() > 4 && Long.valueOf(Flags.PEERS).equals(m.get(3))) {
                            peers = m;
                        }
                    }
                    assertEquals(Long.valueOf(Flags.WHISPER), peers.get(0));
                    assertFalse(peers.toString().contains("browser"), "listed: " + peers);
                }
                assertTrue(node.routingTable().containsKey("browser"));
            }
        }
    }

    @Test
    void aHandshakeWithHalfAnAddressIsStillMalformed() throws Exception {
        try (TestMesh mesh = TestMesh.loopback()) {
            MeshSocket node = mesh.start("node", settings());
            try (Socket half = dial(node, handshake(node, "half", Arrays.asList("127.0.0.1", null)))) {
                byte[] buffer = new byte[4096];
                while (half.getInputStream().read(buffer) >= 0) {
                    // the node's own handshake may come first; then it closes
                }
            }
            assertFalse(node.routingTable().containsKey("half"));
        }
    }
}
