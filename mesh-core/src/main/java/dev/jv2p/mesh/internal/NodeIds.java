package dev.jv2p.mesh.internal;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * p2p.today node ids: {@code base58(SHA-384("(" + host + ", " + port + ")" + protocolId + salt))}
 * (spec §8.3). jv2p hashes the address the node actually bound and advertises, never port 0
 * or a wildcard, so two nodes on one host get different ids.
 */
public final class NodeIds {
    private NodeIds() {}

    /** The node id for this address, protocol id and salt: base58 of SHA-384 over them (spec §8.3). */
    public static String compute(String host, int port, String protocolId, String salt) {
        String input = "(" + host + ", " + port + ")" + protocolId + salt;
        return Base58.encode(Hashes.sha384(input.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * Reads the salt kept in {@code file}, or creates the file with a fresh one: a node given
     * the same file, address and port keeps its id (and so its leases) across restarts.
     *
     * @throws java.io.UncheckedIOException if the file cannot be read or written
     * @throws IllegalArgumentException if the file holds no usable salt
     */
    public static String loadOrCreateSalt(java.nio.file.Path file) {
        try {
            if (java.nio.file.Files.exists(file)) {
                String salt = java.nio.file.Files.readString(file, StandardCharsets.UTF_8)
                        .strip();
                if (salt.isEmpty() || salt.length() > 256 || salt.contains("\n")) {
                    throw new IllegalArgumentException("identity file " + file + " does not hold a salt");
                }
                return salt;
            }
            String salt = newSalt();
            java.nio.file.Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                java.nio.file.Files.createDirectories(parent);
            }
            java.nio.file.Files.writeString(
                    file, salt + "\n", StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE_NEW);
            return salt;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot use identity file " + file + ": " + e.getMessage(), e);
        }
    }

    /** A fresh salt shaped like js2p's (a UUID v4 string). */
    public static String newSalt() {
        return UUID.randomUUID().toString();
    }
}
