package dev.jv2p.transport.ws;

import dev.jv2p.mesh.spi.Transport;
import io.netty.channel.Channel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.SSLException;

/**
 * p2p.today's {@code wss} transport: {@link WsTransport}'s WebSocket messages inside TLS 1.2 or
 * 1.3, the way a page served over https dials a node, and a js2p {@code wss} node dials one.
 *
 * <p>The listener presents a configured certificate ({@link Builder#certificate}, PEM) or, by
 * default, a self-signed P-256 certificate for {@code localhost} and {@code 127.0.0.1} made when
 * the transport is built ({@link #certificatePem()} gives it to clients that must trust it). A
 * certificate that cannot be loaded fails the build of the transport: it never falls back to
 * another one. Dialing verifies the listener's certificate and host name against the JDK's trust
 * store, or against {@link Builder#trust} when set.
 *
 * <p>js2p 0.7.870's own {@code wss} listener is created without a certificate and cannot accept
 * connections; js2p {@code wss} dialers reach jv2p listeners. Discovered through
 * {@code META-INF/services} by the name {@code wss}; immutable, thread-safe.
 */
public final class WssTransport implements Transport {
    /** The p2p.today encryption string. */
    public static final String NAME = "wss";

    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private final WsOptions options;
    private final ServerCertificate certificate;

    /** A transport with a fresh self-signed certificate for localhost and the default limits. */
    public WssTransport() {
        this(builder());
    }

    private WssTransport(Builder b) {
        this.certificate = b.certificatePem != null
                ? ServerCertificate.load(b.certificatePem, b.keyPem)
                : ServerCertificate.selfSigned(b.hosts);
        try {
            SslContext server = SslContextBuilder.forServer(certificate.key(), certificate.chain())
                    .sslProvider(SslProvider.JDK)
                    .protocols(PROTOCOLS)
                    .build();
            SslContextBuilder client = SslContextBuilder.forClient()
                    .sslProvider(SslProvider.JDK)
                    .protocols(PROTOCOLS)
                    .endpointIdentificationAlgorithm("HTTPS");
            if (b.trust != null) {
                client.trustManager(b.trust.toFile());
            }
            this.options = new WsOptions(b.maxMessageLength, b.handshakeTimeout, server, client.build());
        } catch (SSLException | IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot set up wss: " + e.getMessage(), e);
        }
    }

    /** A builder with the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void initChannel(Channel channel, boolean client) {
        WsPipeline.init(channel, client, options);
    }

    /** The certificate the listener presents (the leaf of its chain). */
    public X509Certificate certificate() {
        return certificate.chain().get(0);
    }

    /** {@link #certificate()} in PEM, for a client's trust store or Node.js's {@code NODE_EXTRA_CA_CERTS}. */
    public String certificatePem() {
        return certificate.leafPem();
    }

    @Override
    public String toString() {
        return "WssTransport[" + certificate().getSubjectX500Principal() + "]";
    }

    /** Options of a {@link WssTransport}. */
    public static final class Builder {
        private int maxMessageLength = WsOptions.DEFAULT_MAX_MESSAGE_LENGTH;
        private Duration handshakeTimeout = WsOptions.DEFAULT_HANDSHAKE_TIMEOUT;
        private Path certificatePem;
        private Path keyPem;
        private List<String> hosts = List.of("localhost", "127.0.0.1");
        private Path trust;

        private Builder() {}

        /** See {@link WsTransport.Builder#maxMessageLength}. */
        public Builder maxMessageLength(int bytes) {
            maxMessageLength = bytes;
            return this;
        }

        /** See {@link WsTransport.Builder#handshakeTimeout}. */
        public Builder handshakeTimeout(Duration timeout) {
            handshakeTimeout = Objects.requireNonNull(timeout, "handshakeTimeout");
            return this;
        }

        /**
         * The listener's certificate chain (PEM, leaf first) and its unencrypted private key (PEM:
         * PKCS#8, SEC1 or PKCS#1). Use an EC or RSA key: browsers refuse Ed25519 servers.
         */
        public Builder certificate(Path certificateChainPem, Path privateKeyPem) {
            certificatePem = Objects.requireNonNull(certificateChainPem, "certificateChainPem");
            keyPem = Objects.requireNonNull(privateKeyPem, "privateKeyPem");
            return this;
        }

        /** The host names and IP literals a self-signed certificate is made for (default localhost, 127.0.0.1). */
        public Builder selfSignedFor(String... hostNames) {
            hosts = List.of(hostNames);
            return this;
        }

        /** Certificates (PEM) trusted when dialing, instead of the JDK's trust store. */
        public Builder trust(Path trustedCertificatesPem) {
            trust = Objects.requireNonNull(trustedCertificatesPem, "trustedCertificatesPem");
            return this;
        }

        /** The transport; fails with a message naming the file or option that is wrong. */
        public WssTransport build() {
            return new WssTransport(this);
        }
    }
}
