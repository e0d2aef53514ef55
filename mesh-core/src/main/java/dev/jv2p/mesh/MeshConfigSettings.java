package dev.jv2p.mesh;

import dev.jv2p.mesh.internal.Base58;
import dev.jv2p.mesh.spi.Codec;
import dev.jv2p.mesh.spi.Compression;
import dev.jv2p.mesh.spi.DecodeLimits;
import dev.jv2p.mesh.spi.Transport;
import io.netty.channel.EventLoopGroup;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * The settings and setters of {@link MeshConfig.Builder}, kept apart from {@link MeshConfig} so
 * that each file stays readable; the setters are documented on the {@link MeshConfig} accessor of
 * the same name. Not part of the API: only {@link MeshConfig.Builder} extends it.
 */
abstract class MeshConfigSettings {
    /** The name of every {@link MeshConfig} value, in the order of its {@code values()}. */
    static final List<String> NAMES = List.of(
            "bindHost",
            "port",
            "advertisedHost",
            "advertisedPort",
            "protocol",
            "announcedCompression",
            "maxOutgoing",
            "dialPeerLists",
            "maxPeers",
            "maxFrameLength",
            "decodeLimits",
            "handshakeTimeout",
            "frameTimeout",
            "keepAliveInterval",
            "keepAliveTimeout",
            "broadcastWindow",
            "seenCacheMaxEntries",
            "broadcastTree",
            "recvQueueCapacity",
            "listenBacklog",
            "maxQueuedBytesPerPeer",
            "maxMessagesPerSecond",
            "messageBurst",
            "stateRequestInterval",
            "redialFor",
            "clock",
            "salt",
            "nodeId",
            "codecs",
            "transports",
            "compressions",
            "eventLoopGroup",
            "callbackExecutor",
            "classLoader");

    String bindHost = "127.0.0.1";
    int port;
    String advertisedHost;
    int advertisedPort;
    Protocol protocol = Protocol.defaultMesh();
    List<Integer> announcedCompression = new ArrayList<>();
    int maxOutgoing = 4;
    boolean dialPeerLists = true;
    int maxPeers = 64;
    int maxFrameLength = 8 * 1024 * 1024;
    DecodeLimits decodeLimits = DecodeLimits.DEFAULT;
    Duration handshakeTimeout = Duration.ofSeconds(10);
    Duration frameTimeout = Duration.ofSeconds(30);
    Duration keepAliveInterval = Duration.ofSeconds(5);
    Duration keepAliveTimeout = Duration.ofSeconds(20);
    Duration broadcastWindow = Duration.ofSeconds(60);
    int seenCacheMaxEntries = 100_000;
    boolean broadcastTree;
    int recvQueueCapacity = 10_000;
    int listenBacklog = 128;
    int maxQueuedBytesPerPeer = 64 * 1024 * 1024;
    int maxMessagesPerSecond = 50_000;
    int messageBurst = 100_000;
    Duration stateRequestInterval = Duration.ofSeconds(30);
    Duration redialFor = Duration.ofMinutes(5);
    Clock clock = Clock.systemUTC();
    String salt;
    String nodeId;
    List<Codec> codecs = new ArrayList<>();
    List<Transport> transports = new ArrayList<>();
    List<Compression> compressions = new ArrayList<>();
    EventLoopGroup eventLoopGroup;
    Executor callbackExecutor;
    ClassLoader classLoader = MeshConfig.class.getClassLoader();

    public MeshConfig.Builder bindHost(String v) {
        bindHost = v;
        return self();
    }

    public MeshConfig.Builder port(int v) {
        port = v;
        return self();
    }

    public MeshConfig.Builder advertisedHost(String v) {
        advertisedHost = v;
        return self();
    }

    public MeshConfig.Builder advertisedPort(int v) {
        advertisedPort = v;
        return self();
    }

    public MeshConfig.Builder protocol(Protocol v) {
        protocol = v;
        return self();
    }

    public MeshConfig.Builder announcedCompression(List<Integer> v) {
        announcedCompression = new ArrayList<>(v);
        return self();
    }

    public MeshConfig.Builder maxOutgoing(int v) {
        maxOutgoing = v;
        return self();
    }

    public MeshConfig.Builder dialPeerLists(boolean v) {
        dialPeerLists = v;
        return self();
    }

    public MeshConfig.Builder maxPeers(int v) {
        maxPeers = v;
        return self();
    }

    public MeshConfig.Builder maxFrameLength(int v) {
        maxFrameLength = v;
        return self();
    }

    public MeshConfig.Builder decodeLimits(DecodeLimits v) {
        decodeLimits = v;
        return self();
    }

    public MeshConfig.Builder handshakeTimeout(Duration v) {
        handshakeTimeout = v;
        return self();
    }

    public MeshConfig.Builder frameTimeout(Duration v) {
        frameTimeout = v;
        return self();
    }

    public MeshConfig.Builder keepAliveInterval(Duration v) {
        keepAliveInterval = v;
        return self();
    }

    public MeshConfig.Builder keepAliveTimeout(Duration v) {
        keepAliveTimeout = v;
        return self();
    }

    public MeshConfig.Builder broadcastWindow(Duration v) {
        broadcastWindow = v;
        return self();
    }

    public MeshConfig.Builder seenCacheMaxEntries(int v) {
        seenCacheMaxEntries = v;
        return self();
    }

    public MeshConfig.Builder broadcastTree(boolean v) {
        broadcastTree = v;
        return self();
    }

    public MeshConfig.Builder recvQueueCapacity(int v) {
        recvQueueCapacity = v;
        return self();
    }

    public MeshConfig.Builder listenBacklog(int v) {
        listenBacklog = v;
        return self();
    }

    public MeshConfig.Builder maxQueuedBytesPerPeer(int v) {
        maxQueuedBytesPerPeer = v;
        return self();
    }

    public MeshConfig.Builder maxMessagesPerSecond(int v) {
        maxMessagesPerSecond = v;
        return self();
    }

    public MeshConfig.Builder messageBurst(int v) {
        messageBurst = v;
        return self();
    }

    public MeshConfig.Builder stateRequestInterval(Duration v) {
        stateRequestInterval = v;
        return self();
    }

    public MeshConfig.Builder redialFor(Duration v) {
        redialFor = v;
        return self();
    }

    public MeshConfig.Builder clock(Clock v) {
        clock = v;
        return self();
    }

    public MeshConfig.Builder salt(String v) {
        salt = v;
        return self();
    }

    public MeshConfig.Builder nodeId(String v) {
        nodeId = v;
        return self();
    }

    public MeshConfig.Builder codec(Codec v) {
        codecs.add(v);
        return self();
    }

    public MeshConfig.Builder transport(Transport v) {
        transports.add(v);
        return self();
    }

    public MeshConfig.Builder compression(Compression v) {
        compressions.add(v);
        return self();
    }

    public MeshConfig.Builder eventLoopGroup(EventLoopGroup v) {
        eventLoopGroup = v;
        return self();
    }

    public MeshConfig.Builder callbackExecutor(Executor v) {
        callbackExecutor = v;
        return self();
    }

    public MeshConfig.Builder classLoader(ClassLoader v) {
        classLoader = v;
        return self();
    }

    /** Throws {@link IllegalArgumentException} naming the first field whose value is not allowed. */
    final void check() {
        for (Integer id : announcedCompression) {
            require(id != null && id >= 0 && id <= 0xff, "announcedCompression", "ids are 0..255, was " + id);
        }
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(decodeLimits, "decodeLimits");
        positive(handshakeTimeout, "handshakeTimeout");
        positive(frameTimeout, "frameTimeout");
        positive(keepAliveInterval, "keepAliveInterval");
        positive(keepAliveTimeout, "keepAliveTimeout");
        positive(broadcastWindow, "broadcastWindow");
        notNegative(stateRequestInterval, "stateRequestInterval");
        notNegative(redialFor, "redialFor");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(classLoader, "classLoader");
        require(bindHost != null && !bindHost.isBlank(), "bindHost", "must not be blank");
        require(port >= 0 && port <= 65535, "port", "must be 0..65535, was " + port);
        require(
                advertisedPort >= 0 && advertisedPort <= 65535,
                "advertisedPort",
                "must be 0..65535, was " + advertisedPort);
        require(advertisedHost == null || !advertisedHost.isBlank(), "advertisedHost", "must not be blank");
        require(
                advertisedHost != null || !isWildcard(bindHost),
                "advertisedHost",
                "is required when binding the wildcard address " + bindHost);
        require(
                announcedCompression.stream().distinct().count() == announcedCompression.size(),
                "announcedCompression",
                "must not repeat an id (js2p treats a repeated id as absent)");
        require(maxOutgoing >= 0, "maxOutgoing", "must be >= 0, was " + maxOutgoing);
        require(maxPeers >= 1, "maxPeers", "must be >= 1, was " + maxPeers);
        require(maxFrameLength >= 64, "maxFrameLength", "must be >= 64 bytes, was " + maxFrameLength);
        require(
                keepAliveTimeout.compareTo(keepAliveInterval) > 0,
                "keepAliveTimeout",
                "must be longer than keepAliveInterval");
        require(seenCacheMaxEntries >= 1, "seenCacheMaxEntries", "must be >= 1");
        require(recvQueueCapacity >= 1, "recvQueueCapacity", "must be >= 1");
        require(listenBacklog >= 1, "listenBacklog", "must be >= 1, was " + listenBacklog);
        require(
                maxQueuedBytesPerPeer / 2 >= maxFrameLength,
                "maxQueuedBytesPerPeer",
                "must be at least twice maxFrameLength (" + maxFrameLength + "), was " + maxQueuedBytesPerPeer);
        require(maxMessagesPerSecond >= 1, "maxMessagesPerSecond", "must be >= 1, was " + maxMessagesPerSecond);
        require(messageBurst >= 1, "messageBurst", "must be >= 1, was " + messageBurst);
        if (nodeId != null) {
            require(
                    nodeId.length() >= 16 && nodeId.length() <= 128,
                    "nodeId",
                    "must be 16..128 characters, was " + nodeId.length());
            require(
                    nodeId.chars().allMatch(c -> Base58.ALPHABET.indexOf(c) >= 0),
                    "nodeId",
                    "must be base58 (no 0, O," + " I or l; letters and digits only), was " + nodeId);
            require(salt == null, "nodeId", "and salt exclude each other: a salt only feeds a computed id");
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

    private MeshConfig.Builder self() {
        return (MeshConfig.Builder) this;
    }

    MeshConfigSettings() {}
}
