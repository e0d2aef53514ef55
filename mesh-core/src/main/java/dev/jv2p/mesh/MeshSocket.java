package dev.jv2p.mesh;

import dev.jv2p.mesh.spi.Codec;
import dev.jv2p.mesh.spi.Compression;
import dev.jv2p.mesh.spi.Network;
import dev.jv2p.mesh.spi.NodeIdentity;
import dev.jv2p.mesh.spi.Transport;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.handler.timeout.IdleStateHandler;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
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
 */
public final class MeshSocket implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MeshSocket.class);

    private static final io.netty.util.AttributeKey<Connection> CONNECTION =
            io.netty.util.AttributeKey.valueOf(MeshSocket.class, "connection");

    private final MeshConfig config;
    private final EventLoopGroup group;
    private final boolean ownsGroup;
    /** The keep-alive task; cancelled on close, or on a caller's group it would keep this node alive. */
    private final java.util.concurrent.ScheduledFuture<?> keepAlive;
    private final EventLoop loop;
    private final Executor callbacks;
    private final ExecutorService ownedCallbacks;
    private final Transport transport;
    private final Network network;
    private final Optional<NodeIdentity> identity;
    private final Router router;
    private final Channel serverChannel;
    private final String id;
    private final InetSocketAddress localAddress;
    private final LinkedBlockingQueue<Message> inbox;
    private final List<MeshListener> listeners = new CopyOnWriteArrayList<>();
    private final AtomicLong droppedForFullQueue = new AtomicLong();
    private volatile boolean closed;

    private MeshSocket(MeshConfig config) {
        this.config = config;
        Codec codec = Plugins.codec(config.protocol().codec(), config.codecs(), config.classLoader());
        this.transport = Plugins.transport(config.protocol().encryption(), config.transports(), config.classLoader());
        this.identity = transport.identity();
        this.network = java.util.Objects.requireNonNull(transport.network(), "transport.network()");
        Map<Integer, Compression> supported = new LinkedHashMap<>();
        for (Compression c : config.compressions()) {
            supported.put(c.flag(), c);
        }
        Plugins.discover(Compression.class, c -> String.valueOf(c.flag()), config.classLoader())
                .forEach((k, v) -> supported.putIfAbsent(v.flag(), v));
        List<Compression> preference = new ArrayList<>();
        for (Integer flag : config.announcedCompression()) {
            Compression c = supported.get(flag);
            if (c == null) {
                throw new IllegalArgumentException("announced compression " + flag
                        + " is not available; available: " + supported.keySet());
            }
            preference.add(c);
        }
        this.ownsGroup = config.eventLoopGroup() == null;
        this.group = ownsGroup ? new MultiThreadIoEventLoopGroup(1, network.ioHandlerFactory()) : config.eventLoopGroup();
        this.loop = group.next();
        if (config.callbackExecutor() == null) {
            ownedCallbacks = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "jv2p-callbacks");
                t.setDaemon(true);
                return t;
            });
            callbacks = ownedCallbacks;
        } else {
            ownedCallbacks = null;
            callbacks = new SerialExecutor(config.callbackExecutor());
        }
        this.inbox = new LinkedBlockingQueue<>(config.recvQueueCapacity());
        this.router = new Router(this, config, loop, codec, transport, supported, preference);
        try {
            ServerBootstrap server = new ServerBootstrap()
                    .group(loop, loop)
                    .channel(network.serverChannelType())
                    .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, waterMark(config))
                    .childHandler(initializer(false, null));
            if (network.isTcp()) {
                server.option(ChannelOption.SO_BACKLOG, config.listenBacklog())
                        .childOption(ChannelOption.TCP_NODELAY, true);
            }
            this.serverChannel = server.bind(network.bindAddress(config.bindHost(), config.port()))
                    .syncUninterruptibly().channel();
        } catch (Exception e) { // Netty rethrows the checked BindException undeclared
            shutdownThreads();
            throw new MeshException("cannot listen on " + config.bindHost() + ":" + config.port() + ": "
                    + e.getMessage(), e);
        }
        this.localAddress = network.hostAndPort(serverChannel.localAddress());
        String host = config.advertisedHost() != null ? config.advertisedHost() : config.bindHost();
        int port = config.advertisedPort() != 0 ? config.advertisedPort() : localAddress.getPort();
        String salt = config.salt() != null ? config.salt() : NodeIds.newSalt();
        this.id = identity.isPresent() ? identity.get().nodeId() : NodeIds.compute(host, port, router.protocolId, salt);
        router.identify(id, host, port);
        long interval = config.keepAliveInterval().toMillis();
        this.keepAlive = loop.scheduleAtFixedRate(router.keepAlive, interval, interval, TimeUnit.MILLISECONDS);
        LOG.info("node {} listening on {}:{} (advertised {}:{}), protocol {} [codec {}, transport {}]", id,
                localAddress.getHostString(), localAddress.getPort(), host, port, router.protocolId,
                codec.getClass().getName(), transport.getClass().getName());
    }

    /** Binds and starts a node. */
    public static MeshSocket start(MeshConfig config) {
        return new MeshSocket(config);
    }

    private ChannelInitializer<Channel> initializer(boolean outgoing, String expectedId) {
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) throws Exception {
                if (!outgoing && router.connections.size() >= config.maxPeers()) {
                    LOG.info("refusing a connection from {}: already {} peers", ch.remoteAddress(),
                            config.maxPeers());
                    ch.close();
                    return;
                }
                transport.initChannel(ch, outgoing);
                FrameDecoder decoder = new FrameDecoder(config.maxFrameLength());
                Connection c = router.newConnection(ch, outgoing, expectedId, network);
                ch.attr(CONNECTION).set(c);
                ch.pipeline().addLast("flush", new FlushConsolidationHandler(256, true));
                ch.pipeline().addLast("frames", decoder);
                ch.pipeline().addLast("idle", new IdleStateHandler(config.frameTimeout().toMillis(), 0, 0,
                        TimeUnit.MILLISECONDS));
                router.addInboundStages(ch.pipeline(), c, decoder);
            }
        };
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

    /** Dials a node whose id is not known; completes when its handshake is accepted. */
    public CompletableFuture<PeerInfo> connect(String host, int port) {
        return dial(host, port, null);
    }

    /** Dials a node whose id is known (js2p style: no second handshake, peers or state from us). */
    public CompletableFuture<PeerInfo> connect(String host, int port, String peerId) {
        return dial(host, port, peerId);
    }

    CompletableFuture<PeerInfo> dial(String host, int port, String expectedId) {
        CompletableFuture<PeerInfo> result = new CompletableFuture<>();
        if (closed) {
            result.completeExceptionally(new MeshException("node is closed"));
            return result;
        }
        Bootstrap b = new Bootstrap().group(loop).channel(network.channelType())
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, waterMark(config))
                .handler(initializer(true, expectedId));
        if (network.isTcp()) {
            b.option(ChannelOption.TCP_NODELAY, true)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) config.handshakeTimeout().toMillis());
        }
        ChannelFuture f;
        try {
            f = b.connect(network.dialAddress(host, port));
        } catch (RuntimeException e) { // an address the network cannot express
            result.completeExceptionally(new HandshakeException("cannot connect to " + host + ":" + port + ": "
                    + e.getMessage(), e));
            return result;
        }
        f.addListener(done -> {
            if (!done.isSuccess()) {
                result.completeExceptionally(new HandshakeException("cannot connect to " + host + ":" + port + ": "
                        + done.cause().getMessage(), done.cause()));
                return;
            }
            if (connectionOf(f.channel()) == null) {
                result.completeExceptionally(new HandshakeException("connection to " + host + ":" + port
                        + " was refused locally"));
                return;
            }
            connectionOf(f.channel()).ready().whenComplete((info, err) -> {
                if (err != null) {
                    result.completeExceptionally(err);
                } else {
                    result.complete(info);
                }
            });
        });
        return result;
    }

    /** High at half the queue limit, low at a quarter: bulk senders pause well before a disconnect. */
    private static WriteBufferWaterMark waterMark(MeshConfig config) {
        int limit = config.maxQueuedBytesPerPeer();
        return new WriteBufferWaterMark(limit / 4, limit / 2);
    }

    private static Connection connectionOf(Channel ch) {
        return ch.attr(CONNECTION).get();
    }

    /** Closes the connection to {@code peerId}, if any. */
    public void disconnect(String peerId) {
        router.onLoop(() -> {
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
        if (!inbox.offer(m)) {
            if (droppedForFullQueue.getAndIncrement() % 1000 == 0) {
                LOG.warn("receive queue full ({} messages): dropping new user messages until recv() catches up",
                        config.recvQueueCapacity());
            }
            return;
        }
        fire(l -> l.onMessage(this));
    }

    /** Takes the oldest queued user message, or {@code null} if there is none. */
    public Message recv() {
        return inbox.poll();
    }

    /** Takes up to {@code n} queued user messages, oldest first, without waiting. */
    public List<Message> recv(int n) {
        List<Message> out = new ArrayList<>();
        inbox.drainTo(out, n);
        return out;
    }

    /** Waits up to {@code timeout} for a user message; {@code null} if none came. */
    public Message recv(Duration timeout) throws InterruptedException {
        return inbox.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** User messages dropped because the receive queue was full. */
    public long droppedMessages() {
        return droppedForFullQueue.get();
    }

    // ---- extension points -------------------------------------------------------------------

    /** Adds a listener for {@code connect} and {@code message} events. */
    public Registration addListener(MeshListener listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    /** Adds a privileged handler (see {@link MessageHandler}); handlers run in registration order. */
    public Registration registerHandler(MessageHandler handler) {
        router.handlers.add(handler);
        return () -> router.handlers.remove(handler);
    }

    /**
     * Declares {@code subFlag} whisper-only: a message of it that arrives under the broadcast
     * flag is dropped, neither relayed nor handed to any handler. A protocol layer declares
     * the sub-flags that make a node do work for their sender (send its state, compare
     * digests, start a transfer): broadcast, one such message would make every node of the
     * mesh do that work for whichever neighbour relayed it.
     *
     * @throws IllegalArgumentException if {@code subFlag} is one of p2p.today's own, which a
     *     layer cannot restrict (below {@link Flags#LAYER_EXTENSION_BASE})
     */
    public Registration registerWhisperOnly(int subFlag) {
        if (subFlag < Flags.LAYER_EXTENSION_BASE || subFlag > 0xff) {
            throw new IllegalArgumentException("only a layer's own sub-flags (0x" + Integer.toHexString(
                    Flags.LAYER_EXTENSION_BASE) + "-0xff) can be declared whisper-only, not " + subFlag);
        }
        router.whisperOnly.add(subFlag);
        return () -> router.whisperOnly.remove(subFlag);
    }

    /**
     * Says how messages of a jv2p-only sub-flag reach peers that do not (yet) speak it: sent
     * or relayed to a peer not known as jv2p, a message of {@code subFlag} is replaced by the
     * messages {@code expand} makes of its packets (sub-flag first), each sent with the same
     * main flag, sender and time. A protocol layer uses this for a compact form among jv2p
     * nodes whose meaning js2p nodes must still receive. {@code expand} runs on the event
     * loop and must be deterministic, so that every node expanding one message sends the same
     * bytes, which duplicate suppression then recognises. In a mesh whose transport
     * authenticates peers every peer is a jv2p node, so nothing is expanded there.
     */
    public Registration registerFallback(int subFlag, java.util.function.Function<List<Object>, List<List<Object>>> expand) {
        router.relay.fallbacks.put(subFlag, expand);
        return () -> router.relay.fallbacks.remove(subFlag, expand);
    }

    /** Adds connection life-cycle callbacks for a protocol layer (see {@link PeerEvents}). */
    public Registration addPeerEvents(PeerEvents events) {
        router.peerEvents.add(events);
        return () -> router.peerEvents.remove(events);
    }

    /** Links to every peer in the routing table, for protocol layers. */
    public List<PeerLink> peerLinks() {
        return new ArrayList<>(router.table.values());
    }

    /** Runs {@code task} on the node's event loop (inline if already there). */
    public void execute(Runnable task) {
        router.onLoop(task);
    }

    /** Queues {@code task} on the node's event loop, never inline: lets long work yield to I/O. */
    public void executeLater(Runnable task) {
        loop.execute(task);
    }

    /** Runs {@code task} on the node's event loop after {@code delay}. */
    public java.util.concurrent.ScheduledFuture<?> schedule(Runnable task, Duration delay) {
        return loop.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Runs {@code task} on the node's event loop every {@code period}, until the node closes. */
    public java.util.concurrent.ScheduledFuture<?> scheduleAtFixedRate(Runnable task, Duration period) {
        return loop.scheduleAtFixedRate(task, period.toNanos(), period.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** The largest frame body this node sends or accepts. */
    public int maxFrameLength() {
        return config.maxFrameLength();
    }

    /** Whether the caller runs on this node's event loop. */
    public boolean inEventLoop() {
        return loop.inEventLoop();
    }

    /** Counters for this node: frames and bytes in/out, relays, drops. */
    public MeshStats stats() {
        return router.counters.stats(droppedForFullQueue.get());
    }

    /**
     * A snapshot of this node: identity, addresses, every peer with its traffic, and the
     * counters of {@link #stats()}. Taken on the event loop, so its figures are consistent
     * with each other; called from another thread it waits for the loop (inline when called
     * on it). After {@link #close()} it describes the node as it was left.
     */
    public MeshStatus status() {
        if (loop.inEventLoop() || closed) {
            return router.statuses.snapshot(this);
        }
        CompletableFuture<MeshStatus> f = new CompletableFuture<>();
        try {
            loop.execute(() -> f.complete(router.statuses.snapshot(this)));
            return f.get(5, TimeUnit.SECONDS);
        } catch (java.util.concurrent.RejectedExecutionException | java.util.concurrent.TimeoutException
                | java.util.concurrent.ExecutionException e) {
            return router.statuses.snapshot(this); // the loop has stopped: nothing changes any more
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MeshException("interrupted while waiting for the node's status", e);
        }
    }

    void fireConnect() {
        fire(l -> l.onConnect(this));
    }

    private void fire(java.util.function.Consumer<MeshListener> event) {
        if (listeners.isEmpty()) {
            return;
        }
        callbacks.execute(() -> {
            for (MeshListener l : listeners) {
                try {
                    event.accept(l);
                } catch (RuntimeException e) {
                    LOG.warn("a mesh listener failed: {}", e.toString(), e);
                }
            }
        });
    }

    /** Runs a listener task on the callback executor, after every event queued before it. */
    public void runOnCallbackThread(Runnable task) {
        callbacks.execute(task);
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
        CompletableFuture<Void> done = new CompletableFuture<>();
        router.onLoop(() -> {
            for (Connection c : new ArrayList<>(router.connections)) {
                c.close("node closing", false);
            }
            serverChannel.close().addListener(f -> done.complete(null));
        });
        if (!loop.inEventLoop()) {
            done.join();
            shutdownThreads();
        } else {
            done.whenComplete((v, e) -> shutdownThreads());
        }
        LOG.info("node {} closed", id);
    }

    private void shutdownThreads() {
        if (ownsGroup) {
            io.netty.util.concurrent.Future<?> f = group.shutdownGracefully(0, 2, TimeUnit.SECONDS);
            if (!loop.inEventLoop()) {
                f.syncUninterruptibly();
            }
        }
        if (ownedCallbacks != null) {
            ownedCallbacks.shutdown();
        }
    }

    @Override
    public String toString() {
        return "MeshSocket[" + id + " @ " + localAddress + "]";
    }
}
