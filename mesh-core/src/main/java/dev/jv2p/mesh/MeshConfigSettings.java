package dev.jv2p.mesh;

import dev.jv2p.mesh.spi.Codec;
import dev.jv2p.mesh.spi.Compression;
import dev.jv2p.mesh.spi.DecodeLimits;
import dev.jv2p.mesh.spi.Transport;
import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
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
            "seeds",
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
    List<InetSocketAddress> seeds = new ArrayList<>();
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

    /** Adds a seed: a host name or address and a port (see {@link MeshConfig#seeds()}). */
    public MeshConfig.Builder seed(String host, int port) {
        seeds.add(InetSocketAddress.createUnresolved(Objects.requireNonNull(host, "seed host"), port));
        return self();
    }

    public MeshConfig.Builder seeds(List<InetSocketAddress> v) {
        seeds = new ArrayList<>(v);
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

    /** Takes every value of {@code c} (for {@link MeshConfig#toBuilder()}). */
    final void copyFrom(MeshConfig c) {
        bindHost = c.bindHost();
        port = c.port();
        advertisedHost = c.advertisedHost();
        advertisedPort = c.advertisedPort();
        protocol = c.protocol();
        announcedCompression = new ArrayList<>(c.announcedCompression());
        maxOutgoing = c.maxOutgoing();
        dialPeerLists = c.dialPeerLists();
        maxPeers = c.maxPeers();
        maxFrameLength = c.maxFrameLength();
        decodeLimits = c.decodeLimits();
        handshakeTimeout = c.handshakeTimeout();
        frameTimeout = c.frameTimeout();
        keepAliveInterval = c.keepAliveInterval();
        keepAliveTimeout = c.keepAliveTimeout();
        broadcastWindow = c.broadcastWindow();
        seenCacheMaxEntries = c.seenCacheMaxEntries();
        broadcastTree = c.broadcastTree();
        recvQueueCapacity = c.recvQueueCapacity();
        listenBacklog = c.listenBacklog();
        maxQueuedBytesPerPeer = c.maxQueuedBytesPerPeer();
        maxMessagesPerSecond = c.maxMessagesPerSecond();
        messageBurst = c.messageBurst();
        stateRequestInterval = c.stateRequestInterval();
        redialFor = c.redialFor();
        seeds = new ArrayList<>(c.seeds());
        clock = c.clock();
        salt = c.salt();
        nodeId = c.nodeId();
        codecs = new ArrayList<>(c.codecs());
        transports = new ArrayList<>(c.transports());
        compressions = new ArrayList<>(c.compressions());
        eventLoopGroup = c.eventLoopGroup();
        callbackExecutor = c.callbackExecutor();
        classLoader = c.classLoader();
    }

    /** Throws {@link IllegalArgumentException} naming the first field whose value is not allowed. */
    final void check() {
        MeshConfigChecks.check(this);
    }

    private MeshConfig.Builder self() {
        return (MeshConfig.Builder) this;
    }

    MeshConfigSettings() {}
}
