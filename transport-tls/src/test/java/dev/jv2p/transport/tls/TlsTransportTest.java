package dev.jv2p.transport.tls;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jv2p.mesh.HandshakeException;
import dev.jv2p.mesh.MeshConfig;
import dev.jv2p.mesh.MeshSocket;
import dev.jv2p.mesh.Protocol;
import dev.jv2p.mesh.spi.NodeIdentity;
import dev.jv2p.mesh.spi.Transport;
import io.netty.channel.Channel;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsTransportTest {
    private static final Duration T = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private TlsTransport tls(String keyFile) {
        return TlsTransport.builder().keyFile(dir.resolve(keyFile)).build();
    }

    @Test
    void twoTlsNodesConnectAndEachKnowsTheOtherByItsKeyId() throws Exception {
        try (TlsNodes nodes = TlsNodes.loopback()) {
            TlsTransport ta = tls("a.key");
            TlsTransport tb = tls("b.key");
            MeshSocket a = nodes.mesh(ta);
            MeshSocket b = nodes.mesh(tb);
            assertEquals(ta.nodeId(), a.id());
            assertTrue(NodeKeyIds.isKeyId(a.id()));
            nodes.join(b, a);
        }
    }

    @Test
    void aNodeAnnouncingAnotherNodesIdWithItsOwnKeyIsRefused() throws Exception {
        try (TlsNodes nodes = TlsNodes.loopback()) {
            MeshSocket victim = nodes.mesh(tls("victim.key"));
            MeshSocket honest = nodes.mesh(tls("honest.key"));
            // the impostor's certificate carries its own key, its handshake announces the victim's id
            MeshSocket impostor = nodes.mesh(nodes.meshConfig(new Impersonating(tls("impostor.key"), victim.id())));
            assertEquals(victim.id(), impostor.id());

            // The impostor may accept the honest node's genuine handshake for a moment; the honest
            // node refuses the impostor's and closes, whichever side dialed.
            TlsNodes.dial(impostor, honest).handle((ok, err) -> null).join();
            await().atMost(T).until(() -> impostor.routingTable().isEmpty());
            CompletionException e = assertThrows(
                    CompletionException.class,
                    () -> TlsNodes.dial(honest, impostor).join());
            assertInstanceOf(HandshakeException.class, e.getCause());
            await().atMost(T).until(() -> impostor.routingTable().isEmpty());
            assertTrue(honest.routingTable().isEmpty());
        }
    }

    @Test
    void aNodeNotOnTheAllowListIsRefusedAndOneOnItIsAccepted() throws Exception {
        try (TlsNodes nodes = TlsNodes.loopback()) {
            TlsTransport friendKey = tls("friend.key");
            MeshSocket guarded = nodes.mesh(TlsTransport.builder()
                    .keyFile(dir.resolve("guarded.key"))
                    .allow(friendKey.nodeId())
                    .build());
            MeshSocket stranger = nodes.mesh(tls("stranger.key"));
            MeshSocket friend = nodes.mesh(friendKey);

            assertThrows(
                    CompletionException.class,
                    () -> TlsNodes.dial(stranger, guarded).join());
            assertThrows(
                    CompletionException.class,
                    () -> TlsNodes.dial(guarded, stranger).join());
            nodes.join(friend, guarded);
            await().atMost(T).until(() -> guarded.routingTable().keySet().equals(Set.of(friend.id())));
            assertTrue(stranger.routingTable().isEmpty());
        }
    }

    @Test
    void theAllowListTakesOnlyTlsNodeIds() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> TlsTransport.builder().allow("not-a-key-id"));
        assertTrue(e.getMessage().contains("not-a-key-id"), e.getMessage());
    }

    @Test
    void aNodeKeepsItsIdAcrossRestartsWithTheSameKeyFile() throws Exception {
        String first;
        try (TlsNodes nodes = TlsNodes.loopback()) {
            first = nodes.mesh(tls("same.key")).id();
        }
        try (TlsNodes nodes = TlsNodes.loopback()) {
            MeshSocket again = nodes.mesh(tls("same.key"));
            MeshSocket other = nodes.mesh(tls("other.key"));
            assertEquals(first, again.id());
            assertNotEquals(first, other.id());
            nodes.join(other, again);
            await().atMost(T).until(() -> other.routingTable().containsKey(first));
        }
    }

    @Test
    void aNodePresentingAnExpiredCertificateIsRefused() throws Exception {
        try (TlsNodes nodes = TlsNodes.loopback()) {
            MeshSocket good = nodes.mesh(tls("good.key"));
            Instant longAgo = Instant.now().minus(Duration.ofDays(30));
            MeshSocket expired = nodes.mesh(TlsTransport.builder()
                    .keyFile(dir.resolve("expired.key"))
                    .certificateValidity(longAgo, longAgo.plus(Duration.ofDays(1)))
                    .build());
            assertThrows(
                    CompletionException.class,
                    () -> TlsNodes.dial(expired, good).join());
            assertThrows(
                    CompletionException.class,
                    () -> TlsNodes.dial(good, expired).join());
            assertTrue(good.routingTable().isEmpty());
            assertTrue(expired.routingTable().isEmpty());
        }
    }

    @Test
    void aTlsNodeFoundByNameWithoutAKeyFileHasAnEphemeralKeyIdentity() throws Exception {
        MeshConfig.Builder discovered =
                MeshConfig.builder().bindHost("127.0.0.1").port(0).protocol(new Protocol("mesh", TlsTransport.NAME));
        try (TlsNodes nodes = TlsNodes.loopback()) {
            MeshSocket a = nodes.mesh(discovered);
            MeshSocket b = nodes.mesh(discovered);
            assertTrue(NodeKeyIds.isKeyId(a.id()), a.id());
            assertNotEquals(a.id(), b.id());
            nodes.join(a, b);
        }
    }

    @Test
    void aTlsNodeAndAnSslNodeNeverConnect() throws Exception {
        try (TlsNodes nodes = TlsNodes.loopback()) {
            MeshSocket tls = nodes.mesh(tls("t.key"));
            MeshSocket ssl = nodes.mesh(new SslTransport());
            assertThrows(
                    CompletionException.class, () -> TlsNodes.dial(ssl, tls).join());
            assertThrows(
                    CompletionException.class, () -> TlsNodes.dial(tls, ssl).join());
            assertTrue(tls.routingTable().isEmpty());
        }
    }

    @Test
    void twoSslNodesConnect() throws Exception {
        try (TlsNodes nodes = TlsNodes.loopback()) {
            MeshSocket a = nodes.mesh(new SslTransport());
            MeshSocket b = nodes.mesh(new SslTransport());
            nodes.join(a, b);
            assertTrue(a.identity().isEmpty(), "SSL authenticates nobody");
        }
    }

    /** A TLS transport whose node announces someone else's id while its certificate carries its own key. */
    static final class Impersonating implements Transport {
        private final TlsTransport real;
        private final String claimedId;

        Impersonating(TlsTransport real, String claimedId) {
            this.real = real;
            this.claimedId = claimedId;
        }

        @Override
        public String name() {
            return real.name();
        }

        @Override
        public void initChannel(Channel channel, boolean client) {
            real.initChannel(channel, client);
        }

        @Override
        public Optional<NodeIdentity> identity() {
            NodeIdentity own = real.identity().orElseThrow();
            return Optional.of(new NodeIdentity() {
                @Override
                public String nodeId() {
                    return claimedId;
                }

                @Override
                public byte[] sign(byte[] message) {
                    return own.sign(message);
                }

                @Override
                public boolean verify(String nodeId, byte[] message, byte[] signature) {
                    return own.verify(nodeId, message, signature);
                }
            });
        }

        @Override
        public String authenticatedPeerId(Channel channel) {
            return real.authenticatedPeerId(channel);
        }
    }
}
