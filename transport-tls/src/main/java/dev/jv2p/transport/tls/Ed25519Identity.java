package dev.jv2p.transport.tls;

import dev.jv2p.mesh.spi.NodeIdentity;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * A {@link NodeIdentity} backed by a {@link NodeKey}: pure Ed25519 (RFC 8032) signatures with
 * BouncyCastle's implementation, several times faster than the JDK's. Verification decodes the
 * signer's key from its id ({@link NodeKeyIds}) and keeps the most recently used decoded keys.
 * Thread-safe.
 */
final class Ed25519Identity implements NodeIdentity {
    private static final int KEY_CACHE = 1024;

    private final NodeKey key;
    private final Map<String, Ed25519PublicKeyParameters> keys = new LinkedHashMap<>(64, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Ed25519PublicKeyParameters> eldest) {
            return size() > KEY_CACHE;
        }
    };

    private final Set<String> allowed;

    Ed25519Identity(NodeKey key) {
        this(key, Set.of());
    }

    Ed25519Identity(NodeKey key, Set<String> allowed) {
        this.key = key;
        this.allowed = Set.copyOf(allowed);
    }

    @Override
    public Set<String> allowed() {
        return allowed;
    }

    @Override
    public String nodeId() {
        return key.nodeId;
    }

    @Override
    public byte[] sign(byte[] message) {
        Ed25519Signer signer = new Ed25519Signer();
        signer.init(true, key.signingKey);
        signer.update(message, 0, message.length);
        return signer.generateSignature();
    }

    @Override
    public boolean verify(String nodeId, byte[] message, byte[] signature) {
        if (signature == null || signature.length != Ed25519PublicKeyParameters.KEY_SIZE * 2 || message == null) {
            return false;
        }
        Optional<Ed25519PublicKeyParameters> publicKey = publicKey(nodeId);
        if (publicKey.isEmpty()) {
            return false;
        }
        try {
            Ed25519Signer verifier = new Ed25519Signer();
            verifier.init(false, publicKey.get());
            verifier.update(message, 0, message.length);
            return verifier.verifySignature(signature);
        } catch (RuntimeException e) {
            return false;
        }
    }

    private Optional<Ed25519PublicKeyParameters> publicKey(String nodeId) {
        synchronized (keys) {
            Ed25519PublicKeyParameters cached = keys.get(nodeId);
            if (cached != null) {
                return Optional.of(cached);
            }
        }
        Optional<byte[]> raw = NodeKeyIds.publicKeyOf(nodeId);
        if (raw.isEmpty()) {
            return Optional.empty();
        }
        Ed25519PublicKeyParameters decoded;
        try {
            decoded = new Ed25519PublicKeyParameters(raw.get(), 0);
        } catch (RuntimeException e) {
            return Optional.empty();
        }
        synchronized (keys) {
            keys.put(nodeId, decoded);
        }
        return Optional.of(decoded);
    }

    @Override
    public String toString() {
        return "Ed25519Identity[" + key.nodeId + "]";
    }
}
