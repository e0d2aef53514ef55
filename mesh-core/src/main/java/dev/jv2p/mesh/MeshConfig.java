package dev.jv2p.mesh;

import dev.jv2p.mesh.spi.Codec;
import dev.jv2p.mesh.spi.Compression;
import dev.jv2p.mesh.spi.DecodeLimits;
import dev.jv2p.mesh.spi.Transport;
import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * Immutable configuration of a {@link MeshSocket}. Build it with {@link #builder()}; the
 * constructor behind {@link Builder#build()} validates every field and names the bad one, so
 * no unvalidated configuration exists. Defaults are listed in {@code docs/GUIDE.md}.
 */
public final class MeshConfig {
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
    private final boolean broadcastTree;
    private final int recvQueueCapacity;
    private final int listenBacklog;
    private final int maxQueuedBytesPerPeer;
    private final int maxMessagesPerSecond;
    private final int messageBurst;
    private final Duration stateRequestInterval;
    private final Duration redialFor;
    private final List<InetSocketAddress> seeds;
    private final Clock clock;
    private final String salt;
    private final String nodeId;
    private final List<Codec> codecs;
    private final List<Transport> transports;
    private final List<Compression> compressions;
    private final EventLoopGroup eventLoopGroup;
    private final Executor callbackExecutor;
    private final ClassLoader classLoader;

    /** Copies the builder's values once {@link MeshConfigSettings#check()} has accepted them. */
    private MeshConfig(Builder b) {
        b.check();
        bindHost = b.bindHost;
        port = b.port;
        advertisedHost = b.advertisedHost;
        advertisedPort = b.advertisedPort;
        protocol = b.protocol;
        announcedCompression = List.copyOf(b.announcedCompression);
        maxOutgoing = b.maxOutgoing;
        dialPeerLists = b.dialPeerLists;
        maxPeers = b.maxPeers;
        maxFrameLength = b.maxFrameLength;
        decodeLimits = b.decodeLimits;
        handshakeTimeout = b.handshakeTimeout;
        frameTimeout = b.frameTimeout;
        keepAliveInterval = b.keepAliveInterval;
        keepAliveTimeout = b.keepAliveTimeout;
        broadcastWindow = b.broadcastWindow;
        seenCacheMaxEntries = b.seenCacheMaxEntries;
        broadcastTree = b.broadcastTree;
        recvQueueCapacity = b.recvQueueCapacity;
        listenBacklog = b.listenBacklog;
        maxQueuedBytesPerPeer = b.maxQueuedBytesPerPeer;
        maxMessagesPerSecond = b.maxMessagesPerSecond;
        messageBurst = b.messageBurst;
        stateRequestInterval = b.stateRequestInterval;
        redialFor = b.redialFor;
        seeds = List.copyOf(b.seeds);
        clock = b.clock;
        salt = b.salt;
        nodeId = b.nodeId;
        codecs = List.copyOf(b.codecs);
        transports = List.copyOf(b.transports);
        compressions = List.copyOf(b.compressions);
        eventLoopGroup = b.eventLoopGroup;
        callbackExecutor = b.callbackExecutor;
        classLoader = b.classLoader;
    }

    /** A builder with every default (see {@code docs/GUIDE.md}). */
    public static Builder builder() {
        return new Builder();
    }

    /** The address to listen on (default {@code 127.0.0.1}). */
    public String bindHost() {
        return bindHost;
    }
    /** The port to listen on; 0 picks a free one (default 0). */
    public int port() {
        return port;
    }
    /**
     * The host peers should dial, announced in handshakes; {@code null} means the bind address
     * (a wildcard bind address needs an explicit one).
     */
    public String advertisedHost() {
        return advertisedHost;
    }
    /** The port announced; 0 means the port actually bound. */
    public int advertisedPort() {
        return advertisedPort;
    }
    /** Subnet, transport and codec: the mesh identity. */
    public Protocol protocol() {
        return protocol;
    }
    /**
     * Compression ids announced in handshakes, in preference order (default empty: js2p then
     * never compresses towards this node, spec §5.3).
     */
    public List<Integer> announcedCompression() {
        return announcedCompression;
    }
    /**
     * How many peers this node dials from peer lists (default 4); also the floor below which it
     * dials again addresses it learnt and its contacts (see {@link #redialFor()}).
     */
    public int maxOutgoing() {
        return maxOutgoing;
    }
    /** Whether peers lists make this node dial the peers in them. */
    public boolean dialPeerLists() {
        return dialPeerLists;
    }
    /** The most connections (incoming and outgoing) kept at once. */
    public int maxPeers() {
        return maxPeers;
    }
    /** The largest frame body accepted or sent, checked before allocating (default 8 MiB). */
    public int maxFrameLength() {
        return maxFrameLength;
    }
    /** Nesting and element bounds for decoded bodies. */
    public DecodeLimits decodeLimits() {
        return decodeLimits;
    }
    /** A connection without a handshake by then is closed. */
    public Duration handshakeTimeout() {
        return handshakeTimeout;
    }
    /** A peer that leaves a frame half sent for this long is disconnected. */
    public Duration frameTimeout() {
        return frameTimeout;
    }
    /** How often jv2p peers are pinged (js2p peers never are). */
    public Duration keepAliveInterval() {
        return keepAliveInterval;
    }
    /** A jv2p peer silent for this long is dropped. */
    public Duration keepAliveTimeout() {
        return keepAliveTimeout;
    }
    /** Broadcasts older than this are dropped; ids are remembered this long. */
    public Duration broadcastWindow() {
        return broadcastWindow;
    }
    /** The most broadcast ids remembered; the oldest go first. */
    public int seenCacheMaxEntries() {
        return seenCacheMaxEntries;
    }
    /**
     * Whether broadcasts travel along a tree among the jv2p nodes that have it on too (off by
     * default): payloads on tree links, ids on the others. Links to other peers are flooded.
     */
    public boolean broadcastTree() {
        return broadcastTree;
    }
    /** The most user messages held for {@link MeshSocket#recv()}. */
    public int recvQueueCapacity() {
        return recvQueueCapacity;
    }
    /** Connections the operating system queues before they are accepted ({@code SO_BACKLOG}, 128). */
    public int listenBacklog() {
        return listenBacklog;
    }
    /**
     * The most bytes queued for one peer that it has not read yet (default 64 MiB). A write that
     * would queue more disconnects the peer as a slow reader; Netty's write-buffer water marks are
     * half (high) and a quarter (low) of it, and state transfers pause while a peer is above the
     * high mark. At least twice {@code maxFrameLength}.
     */
    public int maxQueuedBytesPerPeer() {
        return maxQueuedBytesPerPeer;
    }
    /**
     * How many frames a connection may send per second, sustained (default 50,000); one that
     * sends faster for longer than its burst allows is disconnected as hostile.
     */
    public int maxMessagesPerSecond() {
        return maxMessagesPerSecond;
    }
    /** How many frames a connection may send at once above the sustained rate (default 100,000). */
    public int messageBurst() {
        return messageBurst;
    }
    /**
     * How often one connection may ask for this node's full state (a {@code '*'} request,
     * default 30 s); earlier requests are ignored, and a connection that sends 10 ignored
     * requests in a row is disconnected; zero serves every request.
     */
    public Duration stateRequestInterval() {
        return stateRequestInterval;
    }
    /**
     * How long this node keeps dialing a peer it dialed from a peers list or a response after
     * the dial failed or the connection was lost (default 5 min; zero never dials again, as
     * js2p). Attempts back off from one second to {@code keepAliveTimeout}; a peer reached
     * meanwhile, by either side, ends them. Only with {@code dialPeerLists}. Also how long a node
     * with fewer than {@code maxOutgoing} peers keeps dialing, with the same jittered back-off,
     * addresses from peers lists and the contacts its user dialed, so that one refused by a
     * contact at its peer limit still joins (also only with {@code dialPeerLists}).
     */
    public Duration redialFor() {
        return redialFor;
    }
    /**
     * Seeds this node joins as soon as it starts and stays joined to (default none), each a host
     * name or address and a port ({@link java.net.InetSocketAddress#createUnresolved unresolved}).
     * A name may stand for several nodes (a Kubernetes headless service, Compose replicas): off
     * the event loop it is resolved to all its A and AAAA records, every address is dialed, and
     * it is resolved again every 30 s, or with back-off from half a second while a dial fails or
     * the name does not resolve, so replicas added later join too and a lost seed is dialed
     * again. The JVM caches answers for {@code networkaddress.cache.ttl} (30 s unless set).
     */
    public List<InetSocketAddress> seeds() {
        return seeds;
    }
    /** The source of message times and expiry decisions. */
    public Clock clock() {
        return clock;
    }
    /** Mixed into the node id; same salt and address, same id after a restart ({@code null}: random). */
    public String salt() {
        return salt;
    }
    /**
     * This node's id as given, instead of one computed from its address and salt: base58,
     * 16..128 characters, and not with {@code salt}. Peers never check an id against an
     * address (spec §8.3), so a node that keeps its id keeps its leases on any address
     * ({@code null}: computed). A transport whose id comes from a key accepts only that id.
     */
    public String nodeId() {
        return nodeId;
    }
    /** Explicit codec instances, preferred over discovered ones. */
    public List<Codec> codecs() {
        return codecs;
    }
    /** Explicit transport instances, preferred over discovered ones. */
    public List<Transport> transports() {
        return transports;
    }
    /** Explicit compression instances, preferred over discovered ones. */
    public List<Compression> compressions() {
        return compressions;
    }
    /** A caller's event loop group, never shut down by the node ({@code null}: the node owns one thread). */
    public EventLoopGroup eventLoopGroup() {
        return eventLoopGroup;
    }
    /** Runs listeners, in order ({@code null}: one thread of the node). */
    public Executor callbackExecutor() {
        return callbackExecutor;
    }
    /** Where plugins are looked up. */
    public ClassLoader classLoader() {
        return classLoader;
    }

    /** A builder holding this configuration's values. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.copyFrom(this);
        return b;
    }

    /** Every value, in the order of {@link MeshConfigSettings#NAMES}: the basis of equality and of {@link #toString()}. */
    private List<Object> values() {
        return Arrays.asList(
                bindHost,
                port,
                advertisedHost,
                advertisedPort,
                protocol,
                announcedCompression,
                maxOutgoing,
                dialPeerLists,
                maxPeers,
                maxFrameLength,
                decodeLimits,
                handshakeTimeout,
                frameTimeout,
                keepAliveInterval,
                keepAliveTimeout,
                broadcastWindow,
                seenCacheMaxEntries,
                broadcastTree,
                recvQueueCapacity,
                listenBacklog,
                maxQueuedBytesPerPeer,
                maxMessagesPerSecond,
                messageBurst,
                stateRequestInterval,
                redialFor,
                seeds,
                clock,
                salt,
                nodeId,
                codecs,
                transports,
                compressions,
                eventLoopGroup,
                callbackExecutor,
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
        for (int i = 0; i < MeshConfigSettings.NAMES.size(); i++) {
            s.append(i == 0 ? "" : ", ")
                    .append(MeshConfigSettings.NAMES.get(i))
                    .append('=')
                    .append(values.get(i));
        }
        return s.append(']').toString();
    }

    /**
     * Collects settings; every setter returns this builder and is named after the
     * {@link MeshConfig} accessor it sets ({@code codec}, {@code transport} and {@code compression}
     * add one to the list).
     */
    public static final class Builder extends MeshConfigSettings {
        Builder() {}

        /** Builds a validated configuration; the exception message names the bad field. */
        public MeshConfig build() {
            return new MeshConfig(this);
        }
    }
}
