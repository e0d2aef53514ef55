package dev.jv2p.mesh.internal;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** SHA-256 and SHA-384, which every Java runtime ships. */
public final class Hashes {
    private Hashes() {}

    /**
     * Every frame sent and received is checksummed, and a provider lookup costs more than
     * hashing a short frame, so each thread keeps its instance.
     */
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> instance("SHA-256"));

    /** The SHA-256 of {@code data}. */
    public static byte[] sha256(byte[] data) {
        return SHA256.get().digest(data);
    }

    /** The SHA-256 of {@code length} bytes of {@code data} from {@code offset}. */
    public static byte[] sha256(byte[] data, int offset, int length) {
        MessageDigest sha = SHA256.get();
        sha.update(data, offset, length);
        return sha.digest();
    }

    /** The SHA-384 of {@code data}. */
    public static byte[] sha384(byte[] data) {
        return digest("SHA-384", data);
    }

    private static byte[] digest(String algorithm, byte[] data) {
        return instance(algorithm).digest(data);
    }

    private static MessageDigest instance(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is required by the Java platform", e);
        }
    }
}
