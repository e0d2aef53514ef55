package dev.jv2p.mesh;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * p2p.today node ids: {@code base58(SHA-384("(" + host + ", " + port + ")" + protocolId + salt))}
 * (spec §8.3). jv2p hashes the address the node actually bound and advertises, never port 0
 * or a wildcard, so two nodes on one host get different ids.
 */
public final class NodeIds {
    private NodeIds() {
    }

    public static String compute(String host, int port, String protocolId, String salt) {
        String input = "(" + host + ", " + port + ")" + protocolId + salt;
        return Base58.encode(Hashes.sha384(input.getBytes(StandardCharsets.UTF_8)));
    }

    /** A fresh salt shaped like js2p's (a UUID v4 string). */
    public static String newSalt() {
        return UUID.randomUUID().toString();
    }
}
