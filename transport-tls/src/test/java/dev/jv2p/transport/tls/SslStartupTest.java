package dev.jv2p.transport.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jv2p.mesh.MeshSocket;
import java.net.InetSocketAddress;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import org.junit.jupiter.api.Test;

/**
 * The {@code SSL} transport makes its throw-away key and certificate when its node starts, not
 * when the node's first connection is set up on an event loop (issue 19).
 */
class SslStartupTest {
    private static final Duration T = Duration.ofSeconds(10);

    @Test
    void anInstanceNoNodeUsesMakesNoCertificate() {
        SslTransport unused = new SslTransport();
        assertTrue(unused.certificate().isEmpty());
        assertEquals(0, unused.certificatesMade());
    }

    @Test
    void theCertificateExistsBeforeTheFirstConnectionAndTheFirstHandshakePresentsIt() throws Exception {
        try (TlsNodes nodes = TlsNodes.loopback()) {
            SslTransport transport = new SslTransport();
            MeshSocket node = nodes.mesh(transport);
            assertTrue(node.routingTable().isEmpty());
            X509Certificate atStart = transport
                    .certificate()
                    .orElseThrow(
                            () -> new AssertionError("no certificate after the node started, before any connection"));
            assertEquals(1, transport.certificatesMade());

            // the node's first connection: a plain JDK TLS client, trusting anything as js2p does
            assertEquals(atStart, certificatePresentedBy(node.localAddress()));
            // and a jv2p SSL node dialing it
            MeshSocket dialer = nodes.mesh(new SslTransport());
            nodes.join(dialer, node);

            assertEquals(1, transport.certificatesMade(), "a handshake made another certificate");
            assertEquals(atStart, transport.certificate().orElseThrow());
        }
    }

    private static Certificate certificatePresentedBy(InetSocketAddress address) throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {TrustAnyCertificate.INSTANCE}, null);
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", address.getPort())) {
            socket.setSoTimeout((int) T.toMillis());
            socket.startHandshake();
            return socket.getSession().getPeerCertificates()[0];
        }
    }
}
