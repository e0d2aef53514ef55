package dev.jv2p.transport.tls;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jv2p.mesh.MeshSocket;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Peers that are not TLS nodes at all, or that present certificates a TLS node must refuse,
 * dialing a TLS node directly with the JDK's TLS client. The node refuses them and goes on
 * serving honest peers.
 */
class HostileCertificateTest {
    private static final Duration T = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    @Test
    void aCertificateNotSignedByItsOwnKeyIsRefused() throws Exception {
        NodeKey mine = NodeKey.generate();
        NodeKey other = NodeKey.generate();
        Instant now = Instant.now();
        // carries my key (so the TLS proof of possession succeeds) but is signed by another key
        X509Certificate forged = SelfSignedCertificates.forKey(
                other.privateKey,
                mine.publicKey,
                "Ed25519",
                mine.nodeId,
                now.minus(Duration.ofDays(1)),
                now.plus(Duration.ofDays(1)));
        assertRefusedAndNodeStillServes(mine, forged);
    }

    @Test
    void anExpiredCertificateIsRefused() throws Exception {
        NodeKey mine = NodeKey.generate();
        Instant longAgo = Instant.now().minus(Duration.ofDays(400));
        X509Certificate expired = SelfSignedCertificates.forKey(
                mine.privateKey, mine.publicKey, "Ed25519", mine.nodeId, longAgo, longAgo.plus(Duration.ofDays(30)));
        assertRefusedAndNodeStillServes(mine, expired);
    }

    @Test
    void garbageBytesInsteadOfATlsHandshakeAreRefused() throws Exception {
        try (TlsNodes nodes = TlsNodes.loopback()) {
            MeshSocket node = nodes.mesh(
                    TlsTransport.builder().keyFile(dir.resolve("node.key")).build());
            byte[] garbage = new byte[512];
            new Random(42).nextBytes(garbage);
            try (Socket s = new Socket("127.0.0.1", node.localAddress().getPort())) {
                s.setSoTimeout((int) T.toMillis());
                OutputStream out = s.getOutputStream();
                out.write(garbage);
                out.flush();
                assertClosedByPeer(s.getInputStream());
            }
            assertStillServes(nodes, node);
        }
    }

    private void assertRefusedAndNodeStillServes(NodeKey key, X509Certificate cert) throws Exception {
        try (TlsNodes nodes = TlsNodes.loopback()) {
            MeshSocket node = nodes.mesh(
                    TlsTransport.builder().keyFile(dir.resolve("node.key")).build());
            SSLContext context = clientContext(key, cert);
            try (SSLSocket s = (SSLSocket) context.getSocketFactory()
                    .createSocket("127.0.0.1", node.localAddress().getPort())) {
                s.setSoTimeout((int) T.toMillis());
                s.setEnabledProtocols(new String[] {"TLSv1.3"});
                // TLS 1.3: the client finishes first, the server's verdict on its certificate
                // arrives as an alert on the next read.
                assertThrows(IOException.class, () -> {
                    s.startHandshake();
                    assertClosedByPeer(s.getInputStream());
                    throw new IOException("closed without an alert");
                });
            }
            assertTrue(node.routingTable().isEmpty());
            assertStillServes(nodes, node);
        }
    }

    private void assertStillServes(TlsNodes nodes, MeshSocket node) {
        MeshSocket honest = nodes.mesh(
                TlsTransport.builder().keyFile(dir.resolve("honest.key")).build());
        nodes.join(honest, node);
    }

    private static void assertClosedByPeer(InputStream in) throws IOException {
        byte[] buffer = new byte[1024];
        while (in.read(buffer) >= 0) {
            // drain whatever the node sent before closing
        }
    }

    private static SSLContext clientContext(NodeKey key, X509Certificate cert) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("node", key.privateKey, new char[0], new Certificate[] {cert});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, new char[0]);
        SSLContext context = SSLContext.getInstance("TLSv1.3");
        context.init(kmf.getKeyManagers(), new TrustManager[] {TrustAnyCertificate.INSTANCE}, new SecureRandom());
        return context;
    }
}
