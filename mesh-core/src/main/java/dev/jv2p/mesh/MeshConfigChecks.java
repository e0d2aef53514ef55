package dev.jv2p.mesh;

import dev.jv2p.mesh.internal.Base58;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;

/** The validation of {@link MeshConfig.Builder}'s values, run when the configuration is built. */
final class MeshConfigChecks {
    private MeshConfigChecks() {}

    /** Throws {@link IllegalArgumentException} naming the first field of {@code b} whose value is not allowed. */
    static void check(MeshConfigSettings b) {
        for (Integer id : b.announcedCompression) {
            require(id != null && id >= 0 && id <= 0xff, "announcedCompression", "ids are 0..255, was " + id);
        }
        Objects.requireNonNull(b.protocol, "protocol");
        Objects.requireNonNull(b.decodeLimits, "decodeLimits");
        positive(b.handshakeTimeout, "handshakeTimeout");
        positive(b.frameTimeout, "frameTimeout");
        positive(b.keepAliveInterval, "keepAliveInterval");
        positive(b.keepAliveTimeout, "keepAliveTimeout");
        positive(b.broadcastWindow, "broadcastWindow");
        notNegative(b.stateRequestInterval, "stateRequestInterval");
        notNegative(b.redialFor, "redialFor");
        Objects.requireNonNull(b.clock, "clock");
        Objects.requireNonNull(b.classLoader, "classLoader");
        require(b.bindHost != null && !b.bindHost.isBlank(), "bindHost", "must not be blank");
        require(b.port >= 0 && b.port <= 65535, "port", "must be 0..65535, was " + b.port);
        require(
                b.advertisedPort >= 0 && b.advertisedPort <= 65535,
                "advertisedPort",
                "must be 0..65535, was " + b.advertisedPort);
        require(b.advertisedHost == null || !b.advertisedHost.isBlank(), "advertisedHost", "must not be blank");
        require(
                b.advertisedHost != null || !isWildcard(b.bindHost),
                "advertisedHost",
                "is required when binding the wildcard address " + b.bindHost);
        require(
                b.announcedCompression.stream().distinct().count() == b.announcedCompression.size(),
                "announcedCompression",
                "must not repeat an id (js2p treats a repeated id as absent)");
        require(b.maxOutgoing >= 0, "maxOutgoing", "must be >= 0, was " + b.maxOutgoing);
        require(b.maxPeers >= 1, "maxPeers", "must be >= 1, was " + b.maxPeers);
        require(b.maxFrameLength >= 64, "maxFrameLength", "must be >= 64 bytes, was " + b.maxFrameLength);
        require(
                b.keepAliveTimeout.compareTo(b.keepAliveInterval) > 0,
                "keepAliveTimeout",
                "must be longer than keepAliveInterval");
        require(b.seenCacheMaxEntries >= 1, "seenCacheMaxEntries", "must be >= 1");
        require(b.recvQueueCapacity >= 1, "recvQueueCapacity", "must be >= 1");
        require(b.listenBacklog >= 1, "listenBacklog", "must be >= 1, was " + b.listenBacklog);
        for (InetSocketAddress s : b.seeds) {
            require(
                    s != null && !s.getHostString().isBlank() && s.getPort() >= 1,
                    "seeds",
                    "each needs a host and a port 1..65535, was " + s);
        }
        require(
                b.maxQueuedBytesPerPeer / 2 >= b.maxFrameLength,
                "maxQueuedBytesPerPeer",
                "must be at least twice maxFrameLength (" + b.maxFrameLength + "), was " + b.maxQueuedBytesPerPeer);
        require(b.maxMessagesPerSecond >= 1, "maxMessagesPerSecond", "must be >= 1, was " + b.maxMessagesPerSecond);
        require(b.messageBurst >= 1, "messageBurst", "must be >= 1, was " + b.messageBurst);
        if (b.nodeId != null) {
            require(
                    b.nodeId.length() >= 16 && b.nodeId.length() <= 128,
                    "nodeId",
                    "must be 16..128 characters, was " + b.nodeId.length());
            require(
                    b.nodeId.chars().allMatch(c -> Base58.ALPHABET.indexOf(c) >= 0),
                    "nodeId",
                    "must be base58 (no 0, O," + " I or l; letters and digits only), was " + b.nodeId);
            require(b.salt == null, "nodeId", "and salt exclude each other: a salt only feeds a computed id");
        }
    }

    private static boolean isWildcard(String host) {
        return host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]");
    }

    private static void positive(Duration d, String field) {
        Objects.requireNonNull(d, field);
        require(!d.isNegative() && !d.isZero(), field, "must be positive, was " + d);
    }

    private static void notNegative(Duration d, String field) {
        Objects.requireNonNull(d, field);
        require(!d.isNegative(), field, "must not be negative");
    }

    private static void require(boolean ok, String field, String problem) {
        if (!ok) {
            throw new IllegalArgumentException("MeshConfig." + field + " " + problem);
        }
    }
}
