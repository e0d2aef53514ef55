package dev.jv2p.transport.tls;

import dev.jv2p.mesh.spi.NodeIdentity;
import dev.jv2p.mesh.spi.Transport;
import io.netty.channel.Channel;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.security.cert.X509Certificate;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLException;

/**
 * p2p.today's {@code SSL} transport, interoperable with js2p: TLS 1.2 or 1.3 with a throw-away
 * self-signed certificate made at start-up, and <b>no verification of the peer at all</b>.
 *
 * <p><b>This stops eavesdroppers only.</b> Anyone can connect, anyone in the path can sit in the
 * middle of a connection (neither side checks a certificate), node ids are whatever peers
 * announce, and dictionary owners can be forged exactly as in a {@code Plaintext} mesh. Use
 * {@link TlsTransport} ({@code TLS}) for authenticated peers; use this to talk to js2p nodes
 * started with {@code SSL}.
 *
 * <p>Compatibility: js2p's listener presents an RSA-1024 certificate signed with SHA-1 (node-forge)
 * and its dialer accepts any certificate; Node.js offers TLS 1.2 and 1.3. This transport
 * accepts any certificate (so those too), presents a P-256 certificate, and enables both
 * versions.
 *
 * <p>The key, certificate and TLS contexts are made when a node starts with this transport
 * ({@link #identity()}, which the node calls once on the thread that starts it), so the first
 * connection does not make them on an event loop while that loop's other connections wait; a
 * handshake with itself in memory ({@code TlsWarmUp}) loads the provider's code there too. An
 * instance no node uses (one that {@code ServiceLoader} made while looking for another
 * transport) makes nothing.
 *
 * <p>Discovered through {@code META-INF/services} by the name {@code SSL}; thread-safe.
 */
public final class SslTransport implements Transport {
    /** The p2p.today encryption string. */
    public static final String NAME = "SSL";

    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private final AtomicInteger certificatesMade = new AtomicInteger();
    private volatile Contexts contexts;

    private record Contexts(X509Certificate certificate, SslContext server, SslContext client, boolean warmedUp) {}

    /** A transport whose throw-away certificate is made when a node starts with it. */
    public SslTransport() {}

    @Override
    public String name() {
        return NAME;
    }

    /**
     * None: this transport does not authenticate peers. The node calls this once when it starts,
     * on the thread that starts it; the transport makes its key, certificate and TLS contexts
     * here, off the event loops.
     *
     * @throws IllegalStateException if this JDK cannot make them (the node then fails to start)
     */
    @Override
    public Optional<NodeIdentity> identity() {
        try {
            contexts();
        } catch (SSLException e) {
            throw new IllegalStateException("cannot set up TLS with a P-256 key on this JDK: " + e, e);
        }
        return Optional.empty();
    }

    /** The certificate this transport presents, if it has been made (a node started with it). */
    Optional<X509Certificate> certificate() {
        Contexts c = contexts;
        return c == null ? Optional.empty() : Optional.of(c.certificate());
    }

    /** Whether the in-memory handshake with itself ({@code TlsWarmUp}) completed when the contexts were made. */
    boolean warmedUp() {
        Contexts c = contexts;
        return c != null && c.warmedUp();
    }

    /** How many certificates this instance has made: 1 once a node started with it, never more. */
    int certificatesMade() {
        return certificatesMade.get();
    }

    @Override
    public void initChannel(Channel channel, boolean client) throws SSLException {
        Contexts c = contexts(); // made at start-up; made here only for a transport used without a node
        channel.pipeline().addLast("tls", (client ? c.client() : c.server()).newHandler(channel.alloc()));
    }

    private Contexts contexts() throws SSLException {
        Contexts c = contexts;
        if (c == null) {
            synchronized (this) {
                c = contexts;
                if (c == null) {
                    SelfSignedCertificates.Throwaway cert = SelfSignedCertificates.throwaway();
                    certificatesMade.incrementAndGet();
                    SslContext server = SslContextBuilder.forServer(cert.key(), cert.certificate())
                            .sslProvider(SslProvider.JDK)
                            .protocols(PROTOCOLS)
                            .clientAuth(ClientAuth.NONE)
                            .build();
                    SslContext dialer = SslContextBuilder.forClient()
                            .sslProvider(SslProvider.JDK)
                            .protocols(PROTOCOLS)
                            .trustManager(TrustAnyCertificate.INSTANCE)
                            .endpointIdentificationAlgorithm(null)
                            .build();
                    boolean warmedUp = TlsWarmUp.handshake(server, dialer);
                    c = new Contexts(cert.certificate(), server, dialer, warmedUp);
                    contexts = c;
                }
            }
        }
        return c;
    }

    @Override
    public String toString() {
        return "SslTransport[unauthenticated]";
    }
}
