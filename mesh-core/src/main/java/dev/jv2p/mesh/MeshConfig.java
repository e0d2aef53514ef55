package dev.jv2p.mesh;

import dev.jv2p.mesh.spi.Codec;
import dev.jv2p.mesh.spi.Compression;
import dev.jv2p.mesh.spi.DecodeLimits;
import dev.jv2p.mesh.spi.Transport;
import io.netty.channel.EventLoopGroup;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * Immutable configuration of a {@link MeshSocket}. Build it with {@link #builder()}; the
 * constructor behind {@link Builder#build()} validates every field and names the bad one, so
 * no unvalidated configuration exists. Defaults are listed in {@code docs/GUIDE.md}.
 */
public final class MeshConfig {
    private static final List<String> NAMES = List.of("bindHost", "port", "advertisedHost", "advertisedPort",
            "protocol", "announcedCompression", "maxOutgoing", "dialPeerLists", "maxPeers", "maxFrameLength",
            "decodeLimits", "handshakeTimeout", "frameTimeout", "keepAliveInterval", "keepAliveTimeout",
            "broadcastWindow", "seenCacheMaxEntries", "recvQueueCapacity", "listenBacklog", "maxQueuedBytesPerPeer",
            "maxMessagesPerSecond", "messageBurst", "stateRequestInterval", "redialFor", "clock", "salt", "codecs",
            "transports", "compressions", "eventLoopGroup", "callbackExecutor", "classLoader");

    private final String bindHost;
    private final int port;
    private final String advertisedHost;
    private final int advertisedPort;
    private final Protocol protocol;
    private final List<Integer> announcedCompression;
    private final int maxOutgoing;
    private final boolean dialPeerLists;
    private final int maxPeers;
    private final int maxFrameLength;
    private final DecodeLimits decodeLimits;
    private final Duration handshakeTimeout;
    private final Duration frameTimeout;
    private final Duration keepAliveInterval;
    private final Duration keepAliveTimeout;
    private final Duration broadcastWindow;
    private final int seenCacheMaxEntries;
    private final int recvQueueCapacity;
    private final int listenBacklog;
    private final int maxQueuedBytesPerPeer;
    private final int maxMessagesPerSecond;
    private final int messageBurst;
    private final Duration stateRequestInterval;
    private final Duration redialFor;
    private final Clock clock;
    private final String salt;
    private final List<Codec> codecs;
    private final List<Transport> transports;
    private final List<Compression> compressions;
    private final EventLoopGroup eventLoopGroup;
    private final Executor callbackExecutor;
    private final ClassLoader classLoader;

    /** Copies and validates the builder's values; the exception message names the bad field. */
    private MeshConfig(Builder b) {
        for (Integer id : b.announcedCompression) {
            require(id != null && id >= 0 && id <= 0xff, "announcedCompression", "ids are 0..255, was " + id);
        }
        bindHost = b.bindHost;
        port = b.port;
        advertisedHost = b.advertisedHost;
        advertisedPort = b.advertisedPort;
        protocol = Objects.requireNonNull(b.protocol, "protocol");
        announcedCompression = List.copyOf(b.announcedCompression);
        maxOutgoing = b.maxOutgoing;
        dialPeerLists = b.dialPeerLists;
        maxPeers = b.maxPeers;
        maxFrameLength = b.maxFrameLength;
        decodeLimits = Objects.requireNonNull(b.decodeLimits, "decodeLimits");
        handshakeTimeout = positive(b.handshakeTimeout, "handshakeTimeout");
        frameTimeout = positive(b.frameTimeout, "frameTimeout");
        keepAliveInterval = positive(b.keepAliveInterval, "keepAliveInterval");
        keepAliveTimeout = positive(b.keepAliveTimeout, "keepAliveTimeout");
        broadcastWindow = positive(b.broadcastWindow, "broadcastWindow");
        seenCacheMaxEntries = b.seenCacheMaxEntries;
        recvQueueCapacity = b.recvQueueCapacity;
        listenBacklog = b.listenBacklog;
        maxQueuedBytesPerPeer = b.maxQueuedBytesPerPeer;
        maxMessagesPerSecond = b.maxMessagesPerSecond;
        messageBurst = b.messageBurst;
        stateRequestInterval = notNegative(b.stateRequestInterval, "stateRequestInterval");
        redialFor = notNegative(b.redialFor, "redialFor");
        clock = Objects.requireNonNull(b.clock, "clock");
        salt = b.salt;
        codecs = List.copyOf(b.codecs);
        transports = List.copyOf(b.transports);
        compressions = List.copyOf(b.compressions);
        eventLoopGroup = b.eventLoopGroup;
        callbackExecutor = b.callbackExecutor;
        classLoader = Objects.requireNonNull(b.classLoader, "classLoader");
        require(bindHost != null && !bindHost.isBlank(), "bindHost", "must not be blank");
        require(port >= 0 && port <= 65535, "port", "must be 0..65535, was " + port);
        require(advertisedPort >= 0 && advertisedPort <= 65535, "advertisedPort",
                "must be 0..65535, was " + advertisedPort);
        require(advertisedHost == null || !advertisedHost.isBlank(), "advertisedHost", "must not be blank");
        require(advertisedHost != null || !isWildcard(bindHost), "advertisedHost",
                "is required when binding the wildcard address " + bindHost);
        require(announcedCompression.stream().distinct().count() == announcedCompression.size(),
                "announcedCompression", "must not repeat an id (js2p treats a repeated id as absent)");
        require(maxOutgoing >= 0, "maxOutgoing", "must be >= 0, was " + maxOutgoing);
        require(maxPeers >= 1, "maxPeers", "must be >= 1, was " + maxPeers);
        require(maxFrameLength >= 64, "maxFrameLength", "must be >= 64 bytes, was " + maxFrameLength);
        require(keepAliveTimeout.compareTo(keepAliveInterval) > 0, "keepAliveTimeout",
                "must be longer than keepAliveInterval");
        require(seenCacheMaxEntries >= 1, "seenCacheMaxEntries", "must be >= 1");
        require(recvQueueCapacity >= 1, "recvQueueCapacity", "must be >= 1");
        require(listenBacklog >= 1, "listenBacklog", "must be >= 1, was " + listenBacklog);
        require(maxQueuedBytesPerPeer / 2 >= maxFrameLength, "maxQueuedBytesPerPeer",
                "must be at least twice maxFrameLength (" + maxFrameLength + "), was " + maxQueuedBytesPerPeer);
        require(maxMessagesPerSecond >= 1, "maxMessagesPerSecond", "must be >= 1, was " + maxMessagesPerSecond);
        require(messageBurst >= 1, "messageBurst", "must be >= 1, was " + messageBurst);
    }

    /** A builder with every default (see {@code docs/GUIDE.md}). */
    public static Builder builder() {
        return new Builder();
    }

    /** The address to listen on (default {@code 127.0.0.1}). */
    public String bindHost() { return bindHost; }
    /** The port to listen on; 0 picks a free one (default 0). */
    public int port() { return port; }
    /**
     * The host peers should dial, announced in handshakes; {@code null} means the bind address
     * (a wildcard bind address needs an explicit one).
     */
    public String advertisedHost() { return advertisedHost; }
    /** The port announced; 0 means the port actually bound. */
    public int advertisedPort() { return advertisedPort; }
    /** Subnet, transport and codec: the mesh identity. */
    public Protocol protocol() { return protocol; }
    /**
     * Compression ids announced in handshakes, in preference order (default empty: js2p then
     * never compresses towards this node, spec §5.3).
     */
    public List<Integer> announcedCompression() { return announcedCompression; }
    /** How many peers this node dials from peer lists (default 4). */
    public int maxOutgoing() { return maxOutgoing; }
    /** Whether peers lists make this node dial the peers in them. */
    public boolean dialPeerLists() { return dialPeerLists; }
    /** The most connections (incoming and outgoing) kept at once. */
    public int maxPeers() { return maxPeers; }
    /** The largest frame body accepted or sent, checked before allocating (default 8 MiB). */
    public int maxFrameLength() { return maxFrameLength; }
    /** Nesting and element bounds for decoded bodies. */
    public DecodeLimits decodeLimits() { return decodeLimits; }
    /** A connection without a handshake by then is closed. */
    public Duration handshakeTimeout() { return handshakeTimeout; }
    /** A peer that leaves a frame half sent for this long is disconnected. */
    public Duration frameTimeout() { return frameTimeout; }
    /** How often jv2p peers are pinged (js2p peers never are). */
    public Duration keepAliveInterval() { return keepAliveInterval; }
    /** A jv2p peer silent for this long is dropped. */
    public Duration keepAliveTimeout() { return keepAliveTimeout; }
    /** Broadcasts older than this are dropped; ids are remembered this long. */
    public Duration broadcastWindow() { return broadcastWindow; }
    /** The most broadcast ids remembered; the oldest go first. */
    public int seenCacheMaxEntries() { return seenCacheMaxEntries; }
    /** The most user messages held for {@link MeshSocket#recv()}. */
    public int recvQueueCapacity() { return recvQueueCapacity; }
    /** Connections the operating system queues before they are accepted ({@code SO_BACKLOG}, 128). */
    public int listenBacklog() { return listenBacklog; }
    /**
     * The most bytes queued for one peer that it has not read yet (default 64 MiB). A write that
     * would queue more disconnects the peer as a slow reader; Netty's write-buffer water marks are
     * half (high) and a quarter (low) of it, and state transfers pause while a peer is above the
     * high mark. At least twice {@code maxFrameLength}.
     */
    public int maxQueuedBytesPerPeer() { return maxQueuedBytesPerPeer; }
    /**
     * How many frames a connection may send per second, sustained (default 50,000); one that
     * sends faster for longer than its burst allows is disconnected as hostile.
     */
    public int maxMessagesPerSecond() { return maxMessagesPerSecond; }
    /** How many frames a connection may send at once above the sustained rate (default 100,000). */
    public int messageBurst() { return messageBurst; }
    /**
     * How often one connection may ask for this node's full state (a {@code '*'} request,
     * default 30 s); earlier requests are ignored, and a connection that sends 10 ignored
     * requests in a row is disconnected; zero serves every request.
     */
    public Duration stateRequestInterval() { return stateRequestInterval; }
    /**
     * How long this node keeps dialing a peer it dialed from a peers list or a response after
     * the dial failed or the connection was lost (default 5 min; zero never dials again, as
     * js2p). Attempts back off from one second to {@code keepAliveTimeout}; a peer reached
     * meanwhile, by either side, ends them. Only with {@code dialPeerLists}.
     */
    public Duration redialFor() { return redialFor; }
    /** The source of message times and expiry decisions. */
    public Clock clock() { return clock; }
    /** Mixed into the node id; same salt and address, same id after a restart ({@code null}: random). */
    public String salt() { return salt; }
    /** Explicit codec instances, preferred over discovered ones. */
    public List<Codec> codecs() { return codecs; }
    /** Explicit transport instances, preferred over discovered ones. */
    public List<Transport> transports() { return transports; }
    /** Explicit compression instances, preferred over discovered ones. */
    public List<Compression> compressions() { return compressions; }
    /** A caller's event loop group, never shut down by the node ({@code null}: the node owns one thread). */
    public EventLoopGroup eventLoopGroup() { return eventLoopGroup; }
    /** Runs listeners, in order ({@code null}: one thread of the node). */
    public Executor callbackExecutor() { return callbackExecutor; }
    /** Where plugins are looked up. */
    public ClassLoader classLoader() { return classLoader; }

    /** A builder holding this configuration's values. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.bindHost = bindHost;
        b.port = port;
        b.advertisedHost = advertisedHost;
        b.advertisedPort = advertisedPort;
        b.protocol = protocol;
        b.announcedCompression = new ArrayList<>(announcedCompression);
        b.maxOutgoing = maxOutgoing;
        b.dialPeerLists = dialPeerLists;
        b.maxPeers = maxPeers;
        b.maxFrameLength = maxFrameLength;
        b.decodeLimits = decodeLimits;
        b.handshakeTimeout = handshakeTimeout;
        b.frameTimeout = frameTimeout;
        b.keepAliveInterval = keepAliveInterval;
        b.keepAliveTimeout = keepAliveTimeout;
        b.broadcastWindow = broadcastWindow;
        b.seenCacheMaxEntries = seenCacheMaxEntries;
        b.recvQueueCapacity = recvQueueCapacity;
        b.listenBacklog = listenBacklog;
        b.maxQueuedBytesPerPeer = maxQueuedBytesPerPeer;
        b.maxMessagesPerSecond = maxMessagesPerSecond;
        b.messageBurst = messageBurst;
        b.stateRequestInterval = stateRequestInterval;
        b.redialFor = redialFor;
        b.clock = clock;
        b.salt = salt;
        b.codecs = new ArrayList<>(codecs);
        b.transports = new ArrayList<>(transports);
        b.compressions = new ArrayList<>(compressions);
        b.eventLoopGroup = eventLoopGroup;
        b.callbackExecutor = callbackExecutor;
        b.classLoader = classLoader;
        return b;
    }

    /** Every value, in the order of {@link #NAMES}: the basis of equality and of {@link #toString()}. */
    private List<Object> values() {
        return Arrays.asList(bindHost, port, advertisedHost, advertisedPort, protocol, announcedCompression,
                maxOutgoing, dialPeerLists, maxPeers, maxFrameLength, decodeLimits, handshakeTimeout, frameTimeout,
                keepAliveInterval, keepAliveTimeout, broadcastWindow, seenCacheMaxEntries, recvQueueCapacity,
                listenBacklog, maxQueuedBytesPerPeer, maxMessagesPerSecond, messageBurst, stateRequestInterval,
                redialFor, clock, salt, codecs, transports, compressions, eventLoopGroup, callbackExecutor,
                classLoader);
    }

    /** Equal when every value is equal (plugins, clock and executors by their own {@code equals}). */
    @Override
    public boolean equals(Object o) {
        return o == this || o instanceof MeshConfig other && values().equals(other.values());
    }

    @Override
    public int hashCode() {
        return values().hashCode();
    }

    /** {@code MeshConfig[bindHost=127.0.0.1, port=0, ...]}, every field by name. */
    @Override
    public String toString() {
        List<Object> values = values();
        StringBuilder s = new StringBuilder("MeshConfig[");
        for (int i = 0; i < NAMES.size(); i++) {
            s.append(i == 0 ? "" : ", ").append(NAMES.get(i)).append('=').append(values.get(i));
        }
        return s.append(']').toString();
    }

    private static boolean isWildcard(String host) {
        return host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]");
    }

    private static Duration positive(Duration d, String field) {
        Objects.requireNonNull(d, field);
        require(!d.isNegative() && !d.isZero(), field, "must be positive, was " + d);
        return d;
    }

    private static Duration notNegative(Duration d, String field) {
        Objects.requireNonNull(d, field);
        require(!d.isNegative(), field, "must not be negative");
        return d;
    }

    private static void require(boolean ok, String field, String problem) {
        if (!ok) {
            throw new IllegalArgumentException("MeshConfig." + field + " " + problem);
        }
    }

    /**
     * Collects settings; every setter returns this builder and is named after the
     * {@link MeshConfig} accessor it sets ({@code codec}, {@code transport} and {@code compression}
     * add one to the list).
     */
    public static final class Builder {
        private String bindHost = "127.0.0.1";
        private int port;
        private String advertisedHost;
        private int advertisedPort;
        private Protocol protocol = Protocol.defaultMesh();
        private List<Integer> announcedCompression = new ArrayList<>();
        private int maxOutgoing = 4;
        private boolean dialPeerLists = true;
        private int maxPeers = 64;
        private int maxFrameLength = 8 * 1024 * 1024;
        private DecodeLimits decodeLimits = DecodeLimits.DEFAULT;
        private Duration handshakeTimeout = Duration.ofSeconds(10);
        private Duration frameTimeout = Duration.ofSeconds(30);
        private Duration keepAliveInterval = Duration.ofSeconds(5);
        private Duration keepAliveTimeout = Duration.ofSeconds(20);
        private Duration broadcastWindow = Duration.ofSeconds(60);
        private int seenCacheMaxEntries = 100_000;
        private int recvQueueCapacity = 10_000;
        private int listenBacklog = 128;
        private int maxQueuedBytesPerPeer = 64 * 1024 * 1024;
        private int maxMessagesPerSecond = 50_000;
        private int messageBurst = 100_000;
        private Duration stateRequestInterval = Duration.ofSeconds(30);
        private Duration redialFor = Duration.ofMinutes(5);
        private Clock clock = Clock.systemUTC();
        private String salt;
        private List<Codec> codecs = new ArrayList<>();
        private List<Transport> transports = new ArrayList<>();
        private List<Compression> compressions = new ArrayList<>();
        private EventLoopGroup eventLoopGroup;
        private Executor callbackExecutor;
        private ClassLoader classLoader = MeshConfig.class.getClassLoader();

        private Builder() {
        }

        public Builder bindHost(String v) { bindHost = v; return this; }
        public Builder port(int v) { port = v; return this; }
        public Builder advertisedHost(String v) { advertisedHost = v; return this; }
        public Builder advertisedPort(int v) { advertisedPort = v; return this; }
        public Builder protocol(Protocol v) { protocol = v; return this; }
        public Builder announcedCompression(List<Integer> v) { announcedCompression = new ArrayList<>(v); return this; }
        public Builder maxOutgoing(int v) { maxOutgoing = v; return this; }
        public Builder dialPeerLists(boolean v) { dialPeerLists = v; return this; }
        public Builder maxPeers(int v) { maxPeers = v; return this; }
        public Builder maxFrameLength(int v) { maxFrameLength = v; return this; }
        public Builder decodeLimits(DecodeLimits v) { decodeLimits = v; return this; }
        public Builder handshakeTimeout(Duration v) { handshakeTimeout = v; return this; }
        public Builder frameTimeout(Duration v) { frameTimeout = v; return this; }
        public Builder keepAliveInterval(Duration v) { keepAliveInterval = v; return this; }
        public Builder keepAliveTimeout(Duration v) { keepAliveTimeout = v; return this; }
        public Builder broadcastWindow(Duration v) { broadcastWindow = v; return this; }
        public Builder seenCacheMaxEntries(int v) { seenCacheMaxEntries = v; return this; }
        public Builder recvQueueCapacity(int v) { recvQueueCapacity = v; return this; }
        public Builder listenBacklog(int v) { listenBacklog = v; return this; }
        public Builder maxQueuedBytesPerPeer(int v) { maxQueuedBytesPerPeer = v; return this; }
        public Builder maxMessagesPerSecond(int v) { maxMessagesPerSecond = v; return this; }
        public Builder messageBurst(int v) { messageBurst = v; return this; }
        public Builder stateRequestInterval(Duration v) { stateRequestInterval = v; return this; }
        public Builder redialFor(Duration v) { redialFor = v; return this; }
        public Builder clock(Clock v) { clock = v; return this; }
        public Builder salt(String v) { salt = v; return this; }
        public Builder codec(Codec v) { codecs.add(v); return this; }
        public Builder transport(Transport v) { transports.add(v); return this; }
        public Builder compression(Compression v) { compressions.add(v); return this; }
        public Builder eventLoopGroup(EventLoopGroup v) { eventLoopGroup = v; return this; }
        public Builder callbackExecutor(Executor v) { callbackExecutor = v; return this; }
        public Builder classLoader(ClassLoader v) { classLoader = v; return this; }

        /** Builds a validated configuration; the exception message names the bad field. */
        public MeshConfig build() {
            return new MeshConfig(this);
        }
    }
}
