package dev.jv2p.it.mesh;

import static dev.jv2p.it.mesh.MeshChecks.settings;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jv2p.codec.msgpack.MsgpackCodec;
import dev.jv2p.mesh.MeshSocket;
import dev.jv2p.mesh.Message;
import dev.jv2p.mesh.Protocol;
import dev.jv2p.mesh.internal.wire.Frames;
import dev.jv2p.mesh.internal.wire.ZlibCompression;
import dev.jv2p.mesh.spi.Flags;
import dev.jv2p.mesh.testkit.TestMesh;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Raw-socket adversaries against a live node that also serves an honest peer: each bad input
 * closes the adversary's connection, and the honest peer keeps being served.
 */
class HostilePeerTest {
    private static final MsgpackCodec CODEC = new MsgpackCodec();

    static Stream<Arguments> adversaries() {
        return Stream.of(
                Arguments.of("oversize length prefix", (Function<MeshSocket, byte[]>)
                        n -> new byte[] {0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff, 1, 2, 3}),
                Arguments.of("checksum mismatch", (Function<MeshSocket, byte[]>) n -> {
                    byte[] block = Frames.block(CODEC.encode(handshake(n.protocolId(), "evil")));
                    block[0] ^= 1;
                    return Frames.frame(block);
                }),
                Arguments.of("msgpack that is not an array", (Function<MeshSocket, byte[]>)
                        n -> Frames.frame(Frames.block(new byte[] {(byte) 0xa3, 'a', 'b', 'c'}))),
                Arguments.of("truncated msgpack", (Function<MeshSocket, byte[]>) n -> {
                    byte[] full = CODEC.encode(handshake(n.protocolId(), "evil"));
                    return Frames.frame(Frames.block(java.util.Arrays.copyOf(full, full.length - 5)));
                }),
                Arguments.of("foreign protocol id", (Function<MeshSocket, byte[]>) n -> Frames.frame(
                        Frames.block(CODEC.encode(handshake(new Protocol("other", "Plaintext").id(), "stranger"))))),
                Arguments.of("random bytes", (Function<MeshSocket, byte[]>) n -> {
                    byte[] junk = new byte[2048];
                    new Random(20261127L).nextBytes(junk);
                    junk[0] = 0;
                    junk[1] = 0;
                    return junk;
                }),
                Arguments.of("zip bomb", (Function<MeshSocket, byte[]>) n -> {
                    // 16 MiB of zeros deflate to about 16 kB; the node's limit is 64 KiB.
                    byte[] bomb = Frames.block(CODEC.encode(List.of(
                            (long) Flags.BROADCAST, "bomber", n.now(), (long) Flags.BROADCAST, new byte[16 << 20])));
                    return concat(announcingZlib(n, "bomber"), Frames.frame(Frames.body(bomb, new ZlibCompression())));
                }),
                Arguments.of("msgpack nested deeper than the decode limit", (Function<MeshSocket, byte[]>) n -> {
                    byte[] prefix =
                            CODEC.encode(List.of((long) Flags.BROADCAST, "nester", n.now(), (long) Flags.BROADCAST));
                    // The packet list with one more element: 1,000 one-element arrays around nil.
                    byte[] nested = new byte[prefix.length + 1001];
                    System.arraycopy(prefix, 0, nested, 0, prefix.length);
                    nested[0]++;
                    java.util.Arrays.fill(nested, prefix.length, nested.length - 1, (byte) 0x91);
                    nested[nested.length - 1] = (byte) 0xc0;
                    return concat(announcingZlib(n, "nester"), Frames.frame(Frames.block(nested)));
                }),
                Arguments.of("half a frame, then silence", (Function<MeshSocket, byte[]>) n -> {
                    byte[] frame = Frames.frame(Frames.block(CODEC.encode(handshake(n.protocolId(), "slow"))));
                    return java.util.Arrays.copyOf(frame, frame.length / 2);
                }));
    }

    /** A well-formed handshake frame from {@code id} that announces zlib compression. */
    private static byte[] announcingZlib(MeshSocket n, String id) {
        return Frames.frame(Frames.block(CODEC.encode(List.of(
                (long) Flags.WHISPER,
                id,
                n.now(),
                (long) Flags.HANDSHAKE,
                id,
                n.protocolId(),
                List.of("127.0.0.1", 1L),
                List.of((long) ZlibCompression.FLAG)))));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    static List<Object> handshake(String protocolId, String id) {
        return List.of(
                (long) Flags.WHISPER,
                id,
                System.currentTimeMillis() / 1000,
                (long) Flags.HANDSHAKE,
                id,
                protocolId,
                List.of("127.0.0.1", 1L),
                List.of());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("adversaries")
    void badInputClosesOnlyTheOffendersConnection(String name, Function<MeshSocket, byte[]> attack) throws Exception {
        try (TestMesh mesh = TestMesh.loopback()) {
            MeshSocket node = mesh.start(
                    "node",
                    settings(b -> b.frameTimeout(Duration.ofMillis(500))
                            .handshakeTimeout(Duration.ofSeconds(2))
                            .maxFrameLength(64 * 1024)));
            MeshSocket honest = mesh.start("honest", settings());
            mesh.joinAndAwait(honest, node);

            try (Socket adversary = new Socket("127.0.0.1", node.localAddress().getPort())) {
                adversary.setSoTimeout(10_000);
                OutputStream out = adversary.getOutputStream();
                out.write(attack.apply(node));
                out.flush();
                assertTrue(closedByPeer(adversary.getInputStream()), name + ": connection was not closed");
            }

            honest.send(List.of("still there?"));
            Message m = node.recv(Duration.ofSeconds(5));
            assertEquals(honest.id(), m.sender());
            node.send(List.of("yes"));
            assertEquals(node.id(), honest.recv(Duration.ofSeconds(5)).sender());
            await().atMost(Duration.ofSeconds(2))
                    .until(() -> node.routingTable().size() == 1);
        }
    }

    /**
     * jv2p drops frames sent before the peer's handshake (js2p processes them, spec §9.3): a
     * peer that has not said who it is cannot be routed to or held to a protocol.
     */
    @org.junit.jupiter.api.Test
    void aBroadcastBeforeTheHandshakeIsNeitherDeliveredNorRelayed() throws Exception {
        try (TestMesh mesh = TestMesh.loopback()) {
            MeshSocket node = mesh.start("node", settings());
            MeshSocket honest = mesh.start("honest", settings());
            mesh.joinAndAwait(honest, node);

            try (Socket early = new Socket("127.0.0.1", node.localAddress().getPort())) {
                OutputStream out = early.getOutputStream();
                out.write(Frames.frame(Frames.block(CODEC.encode(List.of(
                        (long) Flags.BROADCAST,
                        "early",
                        node.now(),
                        (long) Flags.BROADCAST,
                        "before the handshake")))));
                out.write(Frames.frame(Frames.block(CODEC.encode(handshake(node.protocolId(), "early")))));
                out.write(Frames.frame(Frames.block(CODEC.encode(List.of(
                        (long) Flags.BROADCAST, "early", node.now(), (long) Flags.BROADCAST, "after the handshake")))));
                out.flush();

                // Each node handles a connection's frames in order: the first would come first.
                assertEquals(
                        List.of(0L, "after the handshake"),
                        node.recv(Duration.ofSeconds(5)).packets());
                assertEquals(
                        List.of(0L, "after the handshake"),
                        honest.recv(Duration.ofSeconds(5)).packets());
            }
        }
    }

    /** Reads (and ignores) what the node sends until it closes; false on a read timeout. */
    private static boolean closedByPeer(InputStream in) throws IOException {
        byte[] buffer = new byte[4096];
        try {
            while (true) {
                int n = in.read(buffer);
                if (n < 0) {
                    return true;
                }
            }
        } catch (SocketTimeoutException e) {
            return false;
        } catch (java.net.SocketException e) {
            return true; // reset by the node
        }
    }
}
