package dev.jv2p.transport.ws;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jv2p.mesh.MeshConfig;
import dev.jv2p.mesh.MeshSocket;
import dev.jv2p.mesh.Protocol;
import dev.jv2p.sync.SyncSocket;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletionException;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WsTransportTest {
    private static final Duration T = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    @Test
    void theProtocolIdsAreJs2psForWsAndWss() {
        // spec's id table: base58(SHA-256("meshws0.7"))
        assertEquals("57pLfYoGgbS8ntjsL3HTnzhHYs9Pq8pTiLiCYr6yfU7A", new Protocol("mesh", WsTransport.NAME).id());
        assertEquals(new Protocol("mesh", "wss").id(), new Protocol("mesh", WssTransport.NAME).id());
    }

    @Test
    void bothTransportsAreFoundOnTheClassPathByName() {
        for (String name : List.of("ws", "wss")) {
            try (MeshSocket node = MeshSocket.start(MeshConfig.builder()
                    .bindHost("127.0.0.1")
                    .port(0)
                    .protocol(new Protocol("mesh", name))
                    .build())) {
                assertEquals(new Protocol("mesh", name).id(), node.protocolId());
            }
        }
    }

    @Test
    void twoWsNodesSyncKeysSetOnEitherSide() throws Exception {
        try (WsNodes nodes = new WsNodes()) {
            SyncSocket a = nodes.sync(new WsTransport());
            SyncSocket b = nodes.sync(new WsTransport());
            nodes.join(b.mesh(), a.mesh());
            a.set("from-a", "hello");
            b.set("from-b", 7L);
            await().atMost(T)
                    .until(() ->
                            "hello".equals(b.get("from-a")) && Long.valueOf(7).equals(a.get("from-b")));
        }
    }

    @Test
    void aValueLargerThanOneMessageTravelsAsSeveralMessagesAndArrivesWhole() throws Exception {
        byte[] big = new byte[3 * WsFrames.CHUNK + 12345];
        new Random(18).nextBytes(big);
        try (WsNodes nodes = new WsNodes()) {
            SyncSocket a = nodes.sync(new WsTransport());
            SyncSocket b = nodes.sync(new WsTransport());
            nodes.join(a.mesh(), b.mesh());
            a.set("big", big);
            await().atMost(T).until(() -> b.get("big") != null);
            assertArrayEquals(big, (byte[]) b.get("big"));
        }
    }

    @Test
    void wssNodesConnectWhenTheDialerTrustsTheListenersSelfSignedCertificate() throws Exception {
        WssTransport listener = new WssTransport();
        Path pem = Files.writeString(dir.resolve("listener.pem"), listener.certificatePem());
        try (WsNodes nodes = new WsNodes()) {
            SyncSocket a = nodes.sync(listener);
            SyncSocket b = nodes.sync(WssTransport.builder().trust(pem).build());
            nodes.join(b.mesh(), a.mesh());
            b.set("over", "wss");
            await().atMost(T).until(() -> "wss".equals(a.get("over")));
        }
    }

    @Test
    void aWssDialerRefusesAListenerWhoseCertificateItDoesNotTrust() throws Exception {
        Path otherPem = Files.writeString(dir.resolve("other.pem"), new WssTransport().certificatePem());
        try (WsNodes nodes = new WsNodes()) {
            MeshSocket a = nodes.mesh(new WssTransport());
            MeshSocket b = nodes.mesh(WssTransport.builder().trust(otherPem).build());
            assertThrows(CompletionException.class, () -> WsNodes.dial(b, a).join());
            assertTrue(a.routingTable().isEmpty());
        }
    }

    @Test
    void aWssListenerPresentsAConfiguredPemCertificate() throws Exception {
        ServerCertificate made = ServerCertificate.selfSigned(List.of("127.0.0.1"));
        Path cert = Files.writeString(dir.resolve("cert.pem"), made.leafPem());
        Path key = Files.writeString(dir.resolve("key.pem"), pem(new JcaPKCS8Generator(made.key(), null)));
        WssTransport listener = WssTransport.builder().certificate(cert, key).build();
        assertEquals(made.chain().get(0), listener.certificate());
        try (WsNodes nodes = new WsNodes()) {
            MeshSocket a = nodes.mesh(listener);
            MeshSocket b = nodes.mesh(WssTransport.builder().trust(cert).build());
            nodes.join(b, a);
        }
    }

    @Test
    void aCertificateThatCannotBeLoadedFailsTheTransportNamingTheFile() throws Exception {
        Path cert = Files.writeString(dir.resolve("broken.pem"), "not a certificate", StandardCharsets.US_ASCII);
        Path key = Files.writeString(dir.resolve("key.pem"), "", StandardCharsets.US_ASCII);
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> WssTransport.builder().certificate(cert, key).build());
        assertTrue(e.getMessage().contains("broken.pem"), e.getMessage());
        Path good = Files.writeString(dir.resolve("good.pem"), new WssTransport().certificatePem());
        IllegalArgumentException noKey = assertThrows(
                IllegalArgumentException.class,
                () -> WssTransport.builder().certificate(good, key).build());
        assertTrue(noKey.getMessage().contains("key.pem"), noKey.getMessage());
    }

    @Test
    void aTooSmallMessageLimitIsRefusedNamingTheOption() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> WsTransport.builder().maxMessageLength(10).build());
        assertTrue(e.getMessage().contains("maxMessageLength"), e.getMessage());
    }

    private static String pem(Object o) throws Exception {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(out)) {
            w.writeObject(o);
        }
        return out.toString();
    }
}
