package dev.jv2p.mesh;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** SHA-256 and SHA-384, which every Java runtime ships. */
public final class Hashes {
    private Hashes() {
    }

    /** The SHA-256 of {@code data}. */
    public static byte[] sha256(byte[] data) {
        return digest("SHA-256", data);
    }

    /** The SHA-384 of {@code data}. */
    public static byte[] sha384(byte[] data) {
        return digest("SHA-384", data);
    }

    private static byte[] digest(String algorithm, byte[] data) {
        try {
            return MessageDigest.getInstance(algorithm).digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is required by the Java platform", e);
        }
    }
}
