package dev.jv2p.transport.tls;

import dev.jv2p.mesh.internal.Base58;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.Optional;

/**
 * How a {@code TLS} node id is derived from its key: the id is the p2p.today base58 (an
 * unsigned big-endian integer, spec §8.1) of the node's raw 32-byte Ed25519 public key
 * (RFC 8032 encoding). So an id <em>is</em> the key: any node can check an owner's signature
 * from the owner id alone, with no directory and no certificate.
 *
 * <p>The derivation is reversible because the key has a fixed length: decoding pads the
 * integer back to 32 bytes (base58 loses leading zero bytes). Only the canonical spelling of an
 * id is accepted, so one key has exactly one id (a leading {@code '1'}, which is a zero digit,
 * would otherwise give a second spelling). Such ids are about 44 characters, shorter than the
 * 66-character SHA-384 ids of plaintext meshes; both kinds compare as strings in tie-breaks.
 */
public final class NodeKeyIds {
    /** Length of a raw Ed25519 public key. */
    public static final int KEY_LENGTH = 32;
    /** The DER prefix of an Ed25519 SubjectPublicKeyInfo (OID 1.3.101.112); the raw key follows. */
    private static final byte[] SPKI_PREFIX = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};

    private NodeKeyIds() {}

    /** The node id of a raw 32-byte Ed25519 public key. */
    public static String idOf(byte[] rawPublicKey) {
        if (rawPublicKey.length != KEY_LENGTH) {
            throw new IllegalArgumentException("an Ed25519 public key has 32 bytes, not " + rawPublicKey.length);
        }
        return Base58.encode(rawPublicKey);
    }

    /** The raw key a node id names, if it is the canonical id of a 32-byte key. */
    public static Optional<byte[]> publicKeyOf(String nodeId) {
        if (nodeId == null || nodeId.isEmpty() || nodeId.length() > 50) {
            return Optional.empty();
        }
        BigInteger n;
        try {
            n = Base58.decode(nodeId);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (n.bitLength() > KEY_LENGTH * 8) {
            return Optional.empty();
        }
        byte[] magnitude = n.toByteArray();
        byte[] key = new byte[KEY_LENGTH];
        int copy = Math.min(magnitude.length, KEY_LENGTH);
        System.arraycopy(magnitude, magnitude.length - copy, key, KEY_LENGTH - copy, copy);
        return idOf(key).equals(nodeId) ? Optional.of(key) : Optional.empty();
    }

    /** Whether {@code nodeId} is the canonical id of some Ed25519 key. */
    public static boolean isKeyId(String nodeId) {
        return publicKeyOf(nodeId).isPresent();
    }

    /**
     * The raw Ed25519 key inside an X.509 SubjectPublicKeyInfo ({@code PublicKey.getEncoded()}),
     * whatever provider made the key object, or empty if it is not an Ed25519 key.
     */
    public static Optional<byte[]> rawKeyOf(byte[] subjectPublicKeyInfo) {
        if (subjectPublicKeyInfo == null
                || subjectPublicKeyInfo.length != SPKI_PREFIX.length + KEY_LENGTH
                || !Arrays.equals(subjectPublicKeyInfo, 0, SPKI_PREFIX.length, SPKI_PREFIX, 0, SPKI_PREFIX.length)) {
            return Optional.empty();
        }
        return Optional.of(Arrays.copyOfRange(subjectPublicKeyInfo, SPKI_PREFIX.length, subjectPublicKeyInfo.length));
    }

    /** The SubjectPublicKeyInfo DER of a raw Ed25519 key. */
    static byte[] spkiOf(byte[] rawPublicKey) {
        byte[] out = Arrays.copyOf(SPKI_PREFIX, SPKI_PREFIX.length + KEY_LENGTH);
        System.arraycopy(rawPublicKey, 0, out, SPKI_PREFIX.length, KEY_LENGTH);
        return out;
    }
}
