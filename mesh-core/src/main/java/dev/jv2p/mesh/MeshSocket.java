package dev.jv2p.mesh;

import dev.jv2p.mesh.internal.NodeIds;
import dev.jv2p.mesh.internal.SeedJoiner;
import dev.jv2p.mesh.spi.Flags;
import dev.jv2p.mesh.spi.NodeIdentity;
import dev.jv2p.mesh.spi.Values;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node of a p2p.today mesh (js2p's {@code MeshSocket}): it listens, dials, relays
 * broadcasts with duplicate suppression, and delivers user messages.
 *
 * <p><b>Threading.</b> All I/O and all routing state live on one Netty event loop. Public
 * methods are thread-safe: they hand their work to that loop (running inline when already
 * on it). {@link MeshListener}s run on the node's callback executor, one at a time, in
 * event order; {@link MessageHandler}s and {@link PeerEvents} run on the event loop and
 * must not block.
 *
 * <p><b>Delivery.</b> A broadcast is stamped once and sent to every peer; each node relays
 * the bytes it received unchanged to every peer except the one it came from and the
 * originator, and drops copies whose (checksum, time) it saw within the broadcast window.
 * Delivery is best effort: a message crossing a link that breaks is lost.
 *
 * <p>Protocol layers built on a node (the synchronized dictionary) reach its event loop and
 * routing hooks through {@link #layerContext()}.
 */
public final class MeshSocket implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MeshSocket.class);

    private final MeshConfig config;
    private final NodeBootstrap bootstrap;
    /** The keep-alive task; cancelled on close, or on a caller's group it would keep this node alive. */
    private final ScheduledFuture<?> keepAlive;

    private final Optional<NodeIdentity> identity;
    private final Router router;
    private final Inbox inbox;
    private final LayerContext layerContext;
    private final String id;
    private final InetSocketAddress localAddress;
    private volatile boolean closed;

    private MeshSocket(MeshConfig config) {
        this.config = config;
        PluginSelection plugins = PluginSelection.of(config);
        this.identity = plugins.identity();
        if (identity.isPresent()
                && config.nodeId() != null
                && !config.nodeId().equals(identity.get().nodeId())) {
            throw new IllegalArgumentException("MeshConfig.nodeId " + config.nodeId() + " is not the id "
                    + identity.get().nodeId() + " that transport "
                    + config.protocol().encryption()
                    + " derives from its key; leave nodeId unset");
        }
        this.bootstrap = new NodeBootstrap(config, plugins.transport(), plugins.network());
        this.inbox = new Inbox(this, bootstrap.callbacks(), config.recvQueueCapacity());
        this.router = new Router(
                this,
                config,
                bootstrap.loop(),
                plugins.codec(),
                plugins.transport(),
                plugins.supported(),
                plugins.preference());
        this.layerContext = new NodeLayerContext(this, router, inbox);
        this.localAddress = bootstrap.listen(router);
        String host = config.advertisedHost() != null ? config.advertisedHost() : config.bindHost();
        int port = config.advertisedPort() != 0 ? config.advertisedPort() : localAddress.getPort();
        this.id = identity.isPresent() ? identity.get().nodeId() : plaintextId(config, host, port, router.protocolId);
        router.identify(id, host, port);
        long interval = config.keepAliveInterval().toMillis();
        this.keepAlive =
                bootstrap.loop().scheduleAtFixedRate(router.keepAlive, interval, interval, TimeUnit.MILLISECONDS);
        LOG.info(
                "node {} listening on {}:{} (advertised {}:{}), protocol {} [codec {}, transport {}]",
                id,
                localAddress.getHostString(),
                localAddress.getPort(),
                host,
                port,
                router.protocolId,
                plugins.codec().getClass().getName(),
                plugins.transport().getClass().getName());
    }

    /** The configured id, or the one computed from the advertised address and the salt (spec §8.3). */
    private static String plaintextId(MeshConfig config, String host, int port, String protocolId) {
        if (config.nodeId() != null) {
            return config.nodeId();
        }
        String salt = config.salt() != null ? config.salt() : NodeIds.newSalt();
        return NodeIds.compute(host, port, protocolId, salt);
    }

    /** Binds and starts a node. */
    public static MeshSocket start(MeshConfig config) {
        MeshSocket node = new MeshSocket(config);
        node.joinSeeds();
        return node;
    }

    /** Looks up seed names, off the event loop; {@code null} without seeds. */
    private ExecutorService seedLookups;

    /** Starts a {@link SeedJoiner} for each of {@link MeshConfig#seeds()}. */
    private void joinSeeds() {
        seedLookups = SeedJoiner.joinAll(this, config.seeds(), message -> LOG.info("node {}: {}", id, message));
    }

    // ---- identity -------------------------------------------------------------------------

    /** This node's id. */
    public String id() {
        return id;
    }

    /**
     * The key-bound identity of this node, when its transport has one ({@code TLS}): the id is
     * then derived from the node's public key, and layers above the mesh sign with it.
     */
    public Optional<NodeIdentity> identity() {
        return identity;
    }

    /** The configuration this node was started with. */
    public MeshConfig config() {
        return config;
    }

    /** The protocol id sent in handshakes. */
    public String protocolId() {
        return router.protocolId;
    }

    /** The address actually bound (the real port when 0 was asked for). */
    public InetSocketAddress localAddress() {
        return localAddress;
    }

    /** The address announced to peers. */
    public InetSocketAddress advertisedAddress() {
        return InetSocketAddress.createUnresolved(router.advertisedHost, router.advertisedPort);
    }

    // ---- connections ------------------------------------------------------------------------

    /**
     * Dials a node whose id is not known; completes when its handshake is accepted. The address
     * is kept as a contact: while this node has fewer than {@code maxOutgoing} peers it dials
     * its contacts and addresses from peers lists again, backing off (see {@link
     * MeshConfig#redialFor()}), so a contact that refused it at its peer limit does not leave it
     * alone.
     */
    public CompletableFuture<PeerInfo> connect(String host, int port) {
        return contact(host, port, dial(host, port, null));
    }

    /**
     * Dials a node whose id is known (js2p style: no second handshake, peers or state from us);
     * kept as a contact as by {@link #connect(String, int)}.
     */
    public CompletableFuture<PeerInfo> connect(String host, int port, String peerId) {
        return contact(host, port, dial(host, port, peerId));
    }

    private CompletableFuture<PeerInfo> contact(String host, int port, CompletableFuture<PeerInfo> dial) {
        if (!closed) {
            router.onLoop(() -> router.membership.onUserDial(host, port, dial));
        }
        return dial;
    }

    CompletableFuture<PeerInfo> dial(String host, int port, String expectedId) {
        if (closed) {
            return CompletableFuture.failedFuture(new MeshException("node is closed"));
        }
        return bootstrap.dial(host, port, expectedId);
    }

    /** Closes the connection to {@code peerId}, if any, and dials it no more on this node's own account. */
    public void disconnect(String peerId) {
        router.onLoop(() -> {
            router.membership.forget(peerId);
            Connection c = router.table.get(peerId);
            if (c != null) {
                c.close("disconnected by this node", false);
            }
        });
    }

    /** A snapshot of the routing table: peer id → entry. */
    public Map<String, PeerInfo> routingTable() {
        return router.tableSnapshot;
    }

    // ---- sending --------------------------------------------------------------------------

    /** Broadcasts {@code packets} as a user message (sub-flag broadcast). */
    public void send(List<?> packets) {
        send(packets, Flags.BROADCAST, Flags.BROADCAST);
    }

    /** Sends {@code [flag, id, now, type, packets...]} to every peer, stamped once. */
    public void send(List<?> packets, int flag, int type) {
        send(packets, flag, type, router.now());
    }

    /**
     * As {@link #send(List, int, int)} with an explicit time in seconds; for protocol layers
     * that must know the stamp of what they send (the synchronized dictionary's metadata).
     */
    public void send(List<?> packets, int flag, int type, long timeSeconds) {
        List<Object> payload = payload(type, packets);
        router.onLoop(() -> router.relay.sendToAll(flag, timeSeconds, payload));
    }

    /** Whispers a user message to one peer; returns {@code false} if it is not in the routing table. */
    public boolean whisper(String peerId, List<?> packets) {
        List<Object> payload = payload(Flags.WHISPER, packets);
        if (!router.tableSnapshot.containsKey(peerId)) {
            return false;
        }
        router.onLoop(() -> {
            Connection c = router.table.get(peerId);
            if (c != null) {
                c.sendNow(Flags.WHISPER, payload);
            }
        });
        return true;
    }

    void reply(String target, List<?> packets) {
        List<Object> payload = payload(Flags.WHISPER, packets);
        router.onLoop(() -> router.discovery.reply(target, payload));
    }

    private static List<Object> payload(int type, List<?> packets) {
        List<Object> payload = new ArrayList<>(packets.size() + 1);
        payload.add((long) type);
        payload.addAll(Values.normalizeList(packets));
        return payload;
    }

    /** The current time of this node's clock, in seconds. */
    public long now() {
        return router.now();
    }

    // ---- receiving ------------------------------------------------------------------------

    void deliver(Message m) {
        inbox.deliver(m);
    }

    /** Takes the oldest queued user message, or {@code null} if there is none. */
    public Message recv() {
        return inbox.poll();
    }

    /** Takes up to {@code n} queued user messages, oldest first, without waiting. */
    public List<Message> recv(int n) {
        return inbox.poll(n);
    }

    /** Waits up to {@code timeout} for a user message; {@code null} if none came. */
    public Message recv(Duration timeout) throws InterruptedException {
        return inbox.poll(timeout);
    }

    /** User messages dropped because the receive queue was full. */
    public long droppedMessages() {
        return inbox.dropped();
    }

    // ---- extension points -------------------------------------------------------------------

    /** Adds a listener for {@code connect} and {@code message} events. */
    public Registration addListener(MeshListener listener) {
        return inbox.addListener(listener);
    }

    /** Adds a privileged handler (see {@link MessageHandler}); handlers run in registration order. */
    public Registration registerHandler(MessageHandler handler) {
        router.handlers.add(handler);
        return () -> router.handlers.remove(handler);
    }

    /**
     * The plumbing protocol layers build on: the event loop, scheduling, peer links and the
     * routing hooks for a layer's sub-flags (see {@link LayerContext}).
     */
    public LayerContext layerContext() {
        return layerContext;
    }

    /** The largest frame body this node sends or accepts. */
    public int maxFrameLength() {
        return config.maxFrameLength();
    }

    /** Counters for this node: frames and bytes in/out, relays, drops. */
    public MeshStats stats() {
        return router.counters.stats(inbox.dropped());
    }

    /**
     * A snapshot of this node: identity, addresses, every peer with its traffic, and the
     * counters of {@link #stats()}. Taken on the event loop, so its figures are consistent
     * with each other; called from another thread it waits for the loop (inline when called
     * on it). After {@link #close()} it describes the node as it was left.
     */
    public MeshStatus status() {
        if (router.loop.inEventLoop() || closed) {
            return router.statuses.snapshot(this);
        }
        CompletableFuture<MeshStatus> f = new CompletableFuture<>();
        try {
            router.loop.execute(() -> f.complete(router.statuses.snapshot(this)));
            return f.get(5, TimeUnit.SECONDS);
        } catch (java.util.concurrent.RejectedExecutionException
                | java.util.concurrent.TimeoutException
                | java.util.concurrent.ExecutionException e) {
            return router.statuses.snapshot(this); // the loop has stopped: nothing changes any more
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MeshException("interrupted while waiting for the node's status", e);
        }
    }

    void fireConnect() {
        inbox.fireConnect();
    }

    // ---- life cycle -------------------------------------------------------------------------

    /** Whether {@link #close()} was called. */
    public boolean isClosed() {
        return closed;
    }

    /**
     * Closes every connection and the listening socket, and stops the threads this node
     * started. When called from outside the event loop it returns after the port is free.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        keepAlive.cancel(false);
        if (seedLookups != null) {
            seedLookups.shutdownNow();
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        router.onLoop(() -> {
            for (Connection c : new ArrayList<>(router.connections)) {
                c.close("node closing", false);
            }
            bootstrap.closeServer(done);
        });
        if (!router.loop.inEventLoop()) {
            done.join();
            bootstrap.shutdownThreads();
        } else {
            done.whenComplete((v, e) -> bootstrap.shutdownThreads());
        }
        LOG.info("node {} closed", id);
    }

    @Override
    public String toString() {
        return "MeshSocket[" + id + " @ " + localAddress + "]";
    }
}
