package dev.jv2p.transport.tls;

import dev.jv2p.mesh.spi.NodeIdentity;
import dev.jv2p.mesh.spi.Transport;
import io.netty.channel.Channel;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code TLS} transport: TLS 1.3 with mutual authentication, node ids bound to keys.
 *
 * <ul>
 *   <li>Each node has an Ed25519 key pair, kept in a PKCS#8 PEM file the user names
 *       ({@link Builder#keyFile}); the file is created with a new key if it does not exist, so
 *       the node keeps its id, and the leases that go with it, across restarts. A file that
 *       cannot be read or does not hold an Ed25519 key is a {@link KeyFileException}: the node
 *       does not start.</li>
 *   <li>The node id is derived from the public key ({@link NodeKeyIds}: base58 of the raw
 *       32-byte key), so an id cannot be claimed without its private key, and any node can
 *       check an id's signatures from the id alone.</li>
 *   <li>Both sides present a self-signed certificate of their key and require one from the
 *       peer ({@link NodeCertificateTrust}: valid dates, an Ed25519 key, self-signed, and on
 *       the allow-list if there is one). No hostname is checked: trust is by key. The mesh
 *       router then refuses a peer whose handshake announces an id other than the one its
 *       certificate proves ({@link #authenticatedPeerId}).</li>
 *   <li>The synchronized dictionary signs every write its node originates and refuses writes
 *       whose owner's signature does not verify, see {@code SECURITY.md}.</li>
 * </ul>
 *
 * <p>Use one instance per node:
 * <pre>{@code
 * TlsTransport tls = TlsTransport.builder().keyFile(Path.of("node.key")).allow(trustedIds).build();
 * MeshConfig config = MeshConfig.builder()
 *         .protocol(new Protocol("mesh", TlsTransport.NAME))
 *         .transport(tls)
 *         .build();
 * }</pre>
 *
 * <p>A node that finds this transport through {@code META-INF/services} (protocol encryption
 * {@code "TLS"} and no explicit instance) gets an <b>ephemeral identity</b>: a key made for
 * that node and never written anywhere, so its id and leases end with the process (logged at
 * WARN). Pass an instance built with a key file to keep an identity.
 *
 * <p>Thread-safe. The JDK TLS engine ({@code SslProvider.JDK}) does the handshakes.
 */
public final class TlsTransport implements Transport {
    /** The p2p.today encryption string (hashed into the protocol id, so TLS meshes never mix with others). */
    public static final String NAME = "TLS";

    private static final Logger LOG = LoggerFactory.getLogger(TlsTransport.class);
    private static final String[] PROTOCOLS = {"TLSv1.3"};

    private final Path keyFile;
    private final Set<String> allowed;
    private final Instant notBefore;
    private final Instant notAfter;
    private volatile State state;

    private record State(
            NodeKey key, Ed25519Identity identity, SslContext server, SslContext client, boolean warmedUp) {}

    /** The instance {@code ServiceLoader} makes: an ephemeral identity, any peer allowed. */
    public TlsTransport() {
        this(null, Set.of(), null, null);
    }

    private TlsTransport(Path keyFile, Set<String> allowed, Instant notBefore, Instant notAfter) {
        this.keyFile = keyFile;
        this.allowed = Set.copyOf(allowed);
        this.notBefore = notBefore;
        this.notAfter = notAfter;
    }

    /** A builder: without a key file the node gets a new key (and id) at every start. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String name() {
        return NAME;
    }

    /** This node's id (loads or makes the key if that has not happened yet). */
    public String nodeId() {
        return state().key.nodeId;
    }

    /** Whether the in-memory handshake with itself ({@code TlsWarmUp}) completed when the key was loaded. */
    boolean warmedUp() {
        return state().warmedUp();
    }

    /** The node ids allowed to connect; empty means any node holding a valid key. */
    public Set<String> allowed() {
        return allowed;
    }

    @Override
    public Optional<NodeIdentity> identity() {
        return Optional.of(state().identity);
    }

    @Override
    public void initChannel(Channel channel, boolean client) {
        State s = state();
        channel.pipeline().addLast("tls", (client ? s.client : s.server).newHandler(channel.alloc()));
    }

    /**
     * The id of the key the peer's certificate carries, once the TLS handshake has completed
     * (every certificate that got that far passed {@link NodeCertificateTrust}); otherwise
     * {@code null}.
     */
    @Override
    public String authenticatedPeerId(Channel channel) {
        SslHandler handler = channel.pipeline().get(SslHandler.class);
        if (handler == null) {
            return null;
        }
        Certificate[] chain;
        try {
            chain = handler.engine().getSession().getPeerCertificates();
        } catch (SSLPeerUnverifiedException e) {
            return null;
        }
        if (chain.length == 0 || !(chain[0] instanceof X509Certificate cert)) {
            return null;
        }
        return NodeKeyIds.rawKeyOf(cert.getPublicKey().getEncoded())
                .map(NodeKeyIds::idOf)
                .orElse(null);
    }

    private State state() {
        State s = state;
        if (s == null) {
            synchronized (this) {
                s = state;
                if (s == null) {
                    s = load();
                    state = s;
                }
            }
        }
        return s;
    }

    private State load() {
        NodeKey key;
        if (keyFile == null) {
            key = NodeKey.generate();
            LOG.warn(
                    "TLS node {} has an ephemeral identity (no key file): its id and leases end with this "
                            + "process; build a TlsTransport with keyFile(...) to keep them",
                    key.nodeId);
        } else {
            key = NodeKey.loadOrCreate(keyFile);
            LOG.info(
                    "TLS node {} uses the key in {}{}",
                    key.nodeId,
                    keyFile,
                    allowed.isEmpty() ? "" : " and allows " + allowed.size() + " node ids");
        }
        X509Certificate cert = notBefore == null
                ? SelfSignedCertificates.forNodeKey(key)
                : SelfSignedCertificates.forKey(
                        key.privateKey, key.publicKey, "Ed25519", key.nodeId, notBefore, notAfter);
        NodeCertificateTrust trust = new NodeCertificateTrust(allowed);
        try {
            SslContext server = SslContextBuilder.forServer(key.privateKey, cert)
                    .sslProvider(SslProvider.JDK)
                    .protocols(PROTOCOLS)
                    .clientAuth(ClientAuth.REQUIRE)
                    .trustManager(trust)
                    .build();
            SslContext client = SslContextBuilder.forClient()
                    .keyManager(key.privateKey, cert)
                    .sslProvider(SslProvider.JDK)
                    .protocols(PROTOCOLS)
                    .trustManager(trust)
                    .endpointIdentificationAlgorithm(null)
                    .build();
            boolean warmedUp = TlsWarmUp.handshake(server, client);
            return new State(key, new Ed25519Identity(key, allowed), server, client, warmedUp);
        } catch (SSLException e) {
            throw new IllegalStateException("cannot set up TLS 1.3 with an Ed25519 key on this JDK: " + e, e);
        }
    }

    @Override
    public String toString() {
        State s = state;
        return "TlsTransport[" + (s == null ? "identity not loaded" : s.key.nodeId)
                + (keyFile == null ? ", ephemeral" : ", " + keyFile) + "]";
    }

    /** Settings of a {@link TlsTransport}; {@link #build()} loads (or makes) the key. */
    public static final class Builder {
        private Path keyFile;
        private final Set<String> allowed = new LinkedHashSet<>();
        private Instant notBefore;
        private Instant notAfter;

        private Builder() {}

        /** The PKCS#8 PEM file holding the node's Ed25519 key; created with a new key if absent. */
        public Builder keyFile(Path file) {
            this.keyFile = Objects.requireNonNull(file, "keyFile");
            return this;
        }

        /** Allows only these node ids (each is a public key, {@link NodeKeyIds}) to connect; may be called again to add. */
        public Builder allow(Collection<String> nodeIds) {
            for (String id : nodeIds) {
                if (!NodeKeyIds.isKeyId(id)) {
                    throw new IllegalArgumentException("TlsTransport.allow: '" + id
                            + "' is not a TLS node id (base58 of a 32-byte Ed25519 public key)");
                }
                allowed.add(id);
            }
            return this;
        }

        /** As {@link #allow(Collection)}. */
        public Builder allow(String... nodeIds) {
            return allow(Arrays.asList(nodeIds));
        }

        /** Allows the holder of this raw 32-byte Ed25519 public key. */
        public Builder allowKey(byte[] rawPublicKey) {
            allowed.add(NodeKeyIds.idOf(rawPublicKey));
            return this;
        }

        /** For tests: the validity of this node's own certificate (to present an expired one). */
        Builder certificateValidity(Instant from, Instant until) {
            this.notBefore = Objects.requireNonNull(from);
            this.notAfter = Objects.requireNonNull(until);
            return this;
        }

        /**
         * Builds the transport, reading the key file (or making it) now.
         *
         * @throws KeyFileException if the key file cannot be read, parsed or created
         */
        public TlsTransport build() {
            TlsTransport t = new TlsTransport(keyFile, allowed, notBefore, notAfter);
            if (keyFile != null) {
                t.state();
            }
            return t;
        }
    }
}
