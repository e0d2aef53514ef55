package dev.jv2p.mesh;

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
 * Immutable configuration of a {@link MeshSocket}. Build it with {@link #builder()};
 * {@link Builder#build()} validates every field and names the bad one.
 *
 * @param bindHost the address to listen on (default {@code 127.0.0.1})
 * @param port the port to listen on; 0 picks a free one (default 0)
 * @param advertisedHost the host peers should dial, announced in handshakes; {@code null}
 *     means the bind address (a wildcard bind address needs an explicit one)
 * @param advertisedPort the port announced; 0 means the port actually bound
 * @param protocol subnet, transport and codec: the mesh identity
 * @param announcedCompression compression ids announced in handshakes, in preference order
 *     (default empty: js2p then never compresses towards this node, spec §5.3)
 * @param maxOutgoing how many peers this node dials from peer lists (default 4)
 * @param dialPeerLists whether peers lists make this node dial the peers in them
 * @param maxPeers the most connections (incoming and outgoing) kept at once
 * @param maxFrameLength the largest frame body accepted or sent, checked before allocating
 *     (default 8 MiB)
 * @param decodeLimits nesting and element bounds for decoded bodies
 * @param handshakeTimeout a connection without a handshake by then is closed
 * @param frameTimeout a peer that leaves a frame half sent for this long is disconnected
 * @param keepAliveInterval how often jv2p peers are pinged (js2p peers never are)
 * @param keepAliveTimeout a jv2p peer silent for this long is dropped
 * @param broadcastWindow broadcasts older than this are dropped; ids are remembered this long
 * @param seenCacheMaxEntries the most broadcast ids remembered; the oldest go first
 * @param recvQueueCapacity the most user messages held for {@link MeshSocket#recv()}
 * @param listenBacklog the most connections the operating system queues before this node
 *     accepts them (the listener's {@code SO_BACKLOG}, default 128)
 * @param maxQueuedBytesPerPeer the most bytes queued for one peer that it has not read yet
 *     (default 64 MiB). A write that would queue more disconnects the peer as a slow reader;
 *     Netty's write-buffer water marks are half (high) and a quarter (low) of it, and state
 *     transfers pause while a peer is above the high mark. At least twice
 *     {@code maxFrameLength}
 * @param maxMessagesPerSecond how many frames a connection may send per second, sustained
 *     (default 50,000); a connection that sends faster than this for longer than its burst
 *     allows is disconnected as hostile
 * @param messageBurst how many frames a connection may send at once above the sustained rate
 *     (default 100,000)
 * @param stateRequestInterval how often one connection may ask for this node's full state (a
 *     {@code '*'} request, default 30 s); earlier requests are ignored, and a connection that
 *     sends 10 requests in a row that are ignored is disconnected; zero
 *     serves every request
 * @param redialFor how long this node keeps dialing a peer that it dialed from a peers list
 *     or a response after the dial failed or the connection was lost (default 5 min; zero
 *     never dials again, as js2p). Attempts back off from one second to {@code
 *     keepAliveTimeout}; a peer reached meanwhile, by either side, ends them. Only with {@code
 *     dialPeerLists}
 * @param clock the source of message times and expiry decisions
 * @param salt mixed into the node id; the same salt and address give the same id after a
 *     restart ({@code null}: a random one)
 * @param codecs explicit codec instances, preferred over discovered ones
 * @param transports explicit transport instances, preferred over discovered ones
 * @param compressions explicit compression instances, preferred over discovered ones
 * @param eventLoopGroup a caller's event loop group, never shut down by the node
 *     ({@code null}: the node creates and owns one thread)
 * @param callbackExecutor runs listeners, in order ({@code null}: one thread of the node)
 * @param classLoader where plugins are looked up
 */
public record MeshConfig(
        String bindHost,
        int port,
        String advertisedHost,
        int advertisedPort,
        Protocol protocol,
        List<Integer> announcedCompression,
        int maxOutgoing,
        boolean dialPeerLists,
        int maxPeers,
        int maxFrameLength,
        DecodeLimits decodeLimits,
        Duration handshakeTimeout,
        Duration frameTimeout,
        Duration keepAliveInterval,
        Duration keepAliveTimeout,
        Duration broadcastWindow,
        int seenCacheMaxEntries,
        int recvQueueCapacity,
        int listenBacklog,
        int maxQueuedBytesPerPeer,
        int maxMessagesPerSecond,
        int messageBurst,
        Duration stateRequestInterval,
        Duration redialFor,
        Clock clock,
        String salt,
        List<Codec> codecs,
        List<Transport> transports,
        List<Compression> compressions,
        EventLoopGroup eventLoopGroup,
        Executor callbackExecutor,
        ClassLoader classLoader) {

    /** Copies the lists, so the configuration stays immutable. */
    public MeshConfig {
        announcedCompression = List.copyOf(announcedCompression);
        codecs = List.copyOf(codecs);
        transports = List.copyOf(transports);
        compressions = List.copyOf(compressions);
    }

    /** A builder with every default (see the table above and {@code docs/GUIDE.md}). */
    public static Builder builder() {
        return new Builder();
    }

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

    /** Collects settings; every setter returns this builder. */
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

        /** Sets {@link MeshConfig#bindHost()}. */
        public Builder bindHost(String v) { bindHost = v; return this; }
        /** Sets {@link MeshConfig#port()}. */
        public Builder port(int v) { port = v; return this; }
        /** Sets {@link MeshConfig#advertisedHost()}. */
        public Builder advertisedHost(String v) { advertisedHost = v; return this; }
        /** Sets {@link MeshConfig#advertisedPort()}. */
        public Builder advertisedPort(int v) { advertisedPort = v; return this; }
        /** Sets {@link MeshConfig#protocol()}. */
        public Builder protocol(Protocol v) { protocol = v; return this; }
        /** Sets {@link MeshConfig#announcedCompression()}. */
        public Builder announcedCompression(List<Integer> v) { announcedCompression = new ArrayList<>(v); return this; }
        /** Sets {@link MeshConfig#maxOutgoing()}. */
        public Builder maxOutgoing(int v) { maxOutgoing = v; return this; }
        /** Sets {@link MeshConfig#dialPeerLists()}. */
        public Builder dialPeerLists(boolean v) { dialPeerLists = v; return this; }
        /** Sets {@link MeshConfig#maxPeers()}. */
        public Builder maxPeers(int v) { maxPeers = v; return this; }
        /** Sets {@link MeshConfig#maxFrameLength()}. */
        public Builder maxFrameLength(int v) { maxFrameLength = v; return this; }
        /** Sets {@link MeshConfig#decodeLimits()}. */
        public Builder decodeLimits(DecodeLimits v) { decodeLimits = v; return this; }
        /** Sets {@link MeshConfig#handshakeTimeout()}. */
        public Builder handshakeTimeout(Duration v) { handshakeTimeout = v; return this; }
        /** Sets {@link MeshConfig#frameTimeout()}. */
        public Builder frameTimeout(Duration v) { frameTimeout = v; return this; }
        /** Sets {@link MeshConfig#keepAliveInterval()}. */
        public Builder keepAliveInterval(Duration v) { keepAliveInterval = v; return this; }
        /** Sets {@link MeshConfig#keepAliveTimeout()}. */
        public Builder keepAliveTimeout(Duration v) { keepAliveTimeout = v; return this; }
        /** Sets {@link MeshConfig#broadcastWindow()}. */
        public Builder broadcastWindow(Duration v) { broadcastWindow = v; return this; }
        /** Sets {@link MeshConfig#seenCacheMaxEntries()}. */
        public Builder seenCacheMaxEntries(int v) { seenCacheMaxEntries = v; return this; }
        /** Sets {@link MeshConfig#recvQueueCapacity()}. */
        public Builder recvQueueCapacity(int v) { recvQueueCapacity = v; return this; }
        /** Sets {@link MeshConfig#listenBacklog()}. */
        public Builder listenBacklog(int v) { listenBacklog = v; return this; }
        /** Sets {@link MeshConfig#maxQueuedBytesPerPeer()}. */
        public Builder maxQueuedBytesPerPeer(int v) { maxQueuedBytesPerPeer = v; return this; }
        /** Sets {@link MeshConfig#maxMessagesPerSecond()}. */
        public Builder maxMessagesPerSecond(int v) { maxMessagesPerSecond = v; return this; }
        /** Sets {@link MeshConfig#messageBurst()}. */
        public Builder messageBurst(int v) { messageBurst = v; return this; }
        /** Sets {@link MeshConfig#stateRequestInterval()}. */
        public Builder stateRequestInterval(Duration v) { stateRequestInterval = v; return this; }
        /** Sets {@link MeshConfig#redialFor()}. */
        public Builder redialFor(Duration v) { redialFor = v; return this; }
        /** Sets {@link MeshConfig#clock()}. */
        public Builder clock(Clock v) { clock = v; return this; }
        /** Sets {@link MeshConfig#salt()}. */
        public Builder salt(String v) { salt = v; return this; }
        /** Adds one to {@link MeshConfig#codecs()}. */
        public Builder codec(Codec v) { codecs.add(v); return this; }
        /** Adds one to {@link MeshConfig#transports()}. */
        public Builder transport(Transport v) { transports.add(v); return this; }
        /** Adds one to {@link MeshConfig#compressions()}. */
        public Builder compression(Compression v) { compressions.add(v); return this; }
        /** Sets {@link MeshConfig#eventLoopGroup()}. */
        public Builder eventLoopGroup(EventLoopGroup v) { eventLoopGroup = v; return this; }
        /** Sets {@link MeshConfig#callbackExecutor()}. */
        public Builder callbackExecutor(Executor v) { callbackExecutor = v; return this; }
        /** Sets {@link MeshConfig#classLoader()}. */
        public Builder classLoader(ClassLoader v) { classLoader = v; return this; }

        /** Validates and builds; the exception message names the bad field. */
        public MeshConfig build() {
            require(bindHost != null && !bindHost.isBlank(), "bindHost", "must not be blank");
            require(port >= 0 && port <= 65535, "port", "must be 0..65535, was " + port);
            require(advertisedPort >= 0 && advertisedPort <= 65535, "advertisedPort",
                    "must be 0..65535, was " + advertisedPort);
            require(advertisedHost == null || !advertisedHost.isBlank(), "advertisedHost", "must not be blank");
            require(advertisedHost != null || !isWildcard(bindHost), "advertisedHost",
                    "is required when binding the wildcard address " + bindHost);
            Objects.requireNonNull(protocol, "protocol");
            for (Integer id : announcedCompression) {
                require(id != null && id >= 0 && id <= 0xff, "announcedCompression", "ids are 0..255, was " + id);
            }
            require(announcedCompression.stream().distinct().count() == announcedCompression.size(),
                    "announcedCompression", "must not repeat an id (js2p treats a repeated id as absent)");
            require(maxOutgoing >= 0, "maxOutgoing", "must be >= 0, was " + maxOutgoing);
            require(maxPeers >= 1, "maxPeers", "must be >= 1, was " + maxPeers);
            require(maxFrameLength >= 64, "maxFrameLength", "must be >= 64 bytes, was " + maxFrameLength);
            Objects.requireNonNull(decodeLimits, "decodeLimits");
            positive(handshakeTimeout, "handshakeTimeout");
            positive(frameTimeout, "frameTimeout");
            positive(keepAliveInterval, "keepAliveInterval");
            positive(keepAliveTimeout, "keepAliveTimeout");
            require(keepAliveTimeout.compareTo(keepAliveInterval) > 0, "keepAliveTimeout",
                    "must be longer than keepAliveInterval");
            positive(broadcastWindow, "broadcastWindow");
            require(seenCacheMaxEntries >= 1, "seenCacheMaxEntries", "must be >= 1");
            require(recvQueueCapacity >= 1, "recvQueueCapacity", "must be >= 1");
            require(listenBacklog >= 1, "listenBacklog", "must be >= 1, was " + listenBacklog);
            require(maxQueuedBytesPerPeer / 2 >= maxFrameLength, "maxQueuedBytesPerPeer",
                    "must be at least twice maxFrameLength (" + maxFrameLength + "), was " + maxQueuedBytesPerPeer);
            require(maxMessagesPerSecond >= 1, "maxMessagesPerSecond", "must be >= 1, was " + maxMessagesPerSecond);
            require(messageBurst >= 1, "messageBurst", "must be >= 1, was " + messageBurst);
            Objects.requireNonNull(stateRequestInterval, "stateRequestInterval");
            require(!stateRequestInterval.isNegative(), "stateRequestInterval", "must not be negative");
            Objects.requireNonNull(redialFor, "redialFor");
            require(!redialFor.isNegative(), "redialFor", "must not be negative");
            Objects.requireNonNull(clock, "clock");
            Objects.requireNonNull(classLoader, "classLoader");
            return new MeshConfig(bindHost, port, advertisedHost, advertisedPort, protocol, announcedCompression,
                    maxOutgoing, dialPeerLists, maxPeers, maxFrameLength, decodeLimits, handshakeTimeout,
                    frameTimeout, keepAliveInterval, keepAliveTimeout, broadcastWindow, seenCacheMaxEntries,
                    recvQueueCapacity, listenBacklog, maxQueuedBytesPerPeer, maxMessagesPerSecond, messageBurst,
                    stateRequestInterval, redialFor, clock, salt, codecs, transports, compressions, eventLoopGroup,
                    callbackExecutor, classLoader);
        }

        private static boolean isWildcard(String host) {
            return host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]");
        }

        private static void positive(Duration d, String field) {
            Objects.requireNonNull(d, field);
            require(!d.isNegative() && !d.isZero(), field, "must be positive, was " + d);
        }

        private static void require(boolean ok, String field, String problem) {
            if (!ok) {
                throw new IllegalArgumentException("MeshConfig." + field + " " + problem);
            }
        }
    }
}
