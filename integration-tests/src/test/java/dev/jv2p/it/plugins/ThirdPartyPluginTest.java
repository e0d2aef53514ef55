package dev.jv2p.it.plugins;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jv2p.mesh.MeshConfig;
import dev.jv2p.mesh.MeshSocket;
import dev.jv2p.mesh.Message;
import dev.jv2p.mesh.Protocol;
import dev.jv2p.sync.SyncConfig;
import dev.jv2p.sync.SyncSocket;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The plugin model: a codec and a transport that exist only in this module's test class path,
 * registered only in {@code META-INF/services}, are used by name, with no explicit instance
 * and no change anywhere in jv2p.
 */
class ThirdPartyPluginTest {
    private static final Duration T = Duration.ofSeconds(10);
    private static final Protocol THIRD_PARTY = new Protocol("mesh", XorTransport.NAME, ReversingCodec.NAME);

    private static MeshConfig.Builder byName(Protocol protocol) {
        return MeshConfig.builder().bindHost("127.0.0.1").port(0).protocol(protocol);
    }

    @Test
    void twoNodesFindATestOnlyTransportAndCodecByNameAndTalk() throws Exception {
        long maskedBefore = XorTransport.MASKED.get();
        try (MeshSocket a = MeshSocket.start(byName(THIRD_PARTY).build());
                MeshSocket b = MeshSocket.start(byName(THIRD_PARTY).build())) {
            b.connect("127.0.0.1", a.localAddress().getPort()).get();
            b.send(List.of("through", "plugins"));
            Message m = a.recv(T);
            assertEquals(List.of(0L, "through", "plugins"), m.packets());
            assertTrue(XorTransport.MASKED.get() > maskedBefore, "the XOR transport carried the bytes");
            assertNotEquals(new Protocol("mesh", "Plaintext").id(), a.protocolId());
        }
    }

    @Test
    void aSyncSocketRunsOverThemToo() {
        try (SyncSocket a = SyncSocket.start(
                        SyncConfig.builder().mesh(byName(THIRD_PARTY).build()).build());
                SyncSocket b = SyncSocket.start(
                        SyncConfig.builder().mesh(byName(THIRD_PARTY).build()).build())) {
            b.mesh().connect("127.0.0.1", a.mesh().localAddress().getPort()).join();
            a.set("k", "v");
            await().atMost(T).until(() -> "v".equals(b.get("k")));
        }
    }

    @Test
    void aNodeOfTheThirdPartyProtocolAndADefaultNodeNeverConnect() {
        try (MeshSocket plugin = MeshSocket.start(byName(THIRD_PARTY).build());
                MeshSocket plain =
                        MeshSocket.start(byName(Protocol.defaultMesh()).build())) {
            plain.connect("127.0.0.1", plugin.localAddress().getPort())
                    .handle((ok, e) -> null)
                    .join();
            assertTrue(plugin.routingTable().isEmpty());
        }
    }
}
