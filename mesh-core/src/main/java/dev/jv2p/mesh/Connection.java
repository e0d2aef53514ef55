package dev.jv2p.mesh;

import dev.jv2p.mesh.internal.wire.Frames;
import dev.jv2p.mesh.spi.Compression;
import dev.jv2p.mesh.spi.Flags;
import dev.jv2p.mesh.spi.Network;
import dev.jv2p.mesh.spi.Values;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state of one connection and the rules that change it. Its state is read and written
 * on the channel's event loop only (the node's loop); {@link PeerLink} methods hand their
 * work to it, and the few fields other threads read are volatile.
 */
final class Connection implements PeerLink {
    private static final Logger LOG = LoggerFactory.getLogger(Connection.class);

    private final Channel channel;
    private final boolean outgoing;
    /** The id this node expected when it dialed from a peers list or a response; else null. */
    private final String expectedId;
    /** Whether this side sends its second handshake, peers list and state (spec §9.2). */
    private final boolean awaiting;

    private final CompletableFuture<PeerInfo> ready = new CompletableFuture<>();
    private final MeshConfig config;
    private final MeshCounters counters;
    private final MessageEncoder encoder;
    private final Network network;
    private final LinkTraffic traffic;
    private final WritabilityWaiters whenWritable;

    private volatile String id;
    private volatile boolean jv2p;
    private volatile PeerInfo info;
    private volatile String lastError;
    private String advertisedHost;
    private int advertisedPort;
    private LinkCompression compression = LinkCompression.NONE;
    private boolean handshaken;
    /** When the peer's first handshake arrived on this connection. */
    private long handshakenNanos;

    private ScheduledFuture<?> handshakeTimer;
    private String closeReason;
    /** Closed by this node because the peer fell silent: the link was lost, not refused. */
    private boolean lost;
    /** Whether a refused mesh message of this peer has been logged above DEBUG. */
    private boolean refusalLogged;

    private final StateRequestThrottle stateRequests = new StateRequestThrottle();

    Connection(
            Channel channel,
            boolean outgoing,
            String expectedId,
            MeshConfig config,
            MeshCounters counters,
            MessageEncoder encoder,
            Network network) {
        this.channel = channel;
        this.whenWritable = new WritabilityWaiters(channel);
        this.outgoing = outgoing;
        this.expectedId = expectedId;
        this.awaiting = !outgoing || expectedId == null;
        this.config = config;
        this.counters = counters;
        this.encoder = encoder;
        this.network = network;
        this.traffic = new LinkTraffic(config, MonotonicTime.nanos(channel.eventLoop()));
    }

    private void assertOnLoop() {
        assert channel.eventLoop().inEventLoop() : "connection state touched off its event loop";
    }

    Channel channel() {
        return channel;
    }

    boolean isOutgoing() {
        return outgoing;
    }

    String expectedId() {
        return expectedId;
    }

    /** Whether this side answers the peer's handshake with its own, a peers list and its state. */
    boolean awaitsPeer() {
        return awaiting;
    }

    CompletableFuture<PeerInfo> ready() {
        return ready;
    }

    boolean isHandshaken() {
        return handshaken;
    }

    boolean isClosing() {
        return closeReason != null;
    }

    /** Why this node closed the connection; null if it did not (the peer or the network did). */
    String closeReason() {
        return closeReason;
    }

    /** Whether this node closed the connection because the peer fell silent. */
    boolean wasLost() {
        return lost;
    }

    void startHandshakeTimer(Duration timeout) {
        handshakeTimer = channel.eventLoop()
                .schedule(
                        () -> {
                            if (!handshaken) {
                                close("no handshake within " + timeout.toMillis() + " ms", false);
                            }
                        },
                        timeout.toMillis(),
                        TimeUnit.MILLISECONDS);
    }

    /** Takes the id the peer announced; before the duplicate check, so a refused duplicate still names it. */
    void claimId(String peerId) {
        this.id = peerId;
    }

    /** The peer's address as it announced it; {@code host} null for a node that cannot listen. */
    void announcedAddress(String host, int port) {
        this.advertisedHost = host;
        this.advertisedPort = port;
    }

    String advertisedHost() {
        return advertisedHost;
    }

    int advertisedPort() {
        return advertisedPort;
    }

    void markHandshaken() {
        assertOnLoop();
        handshaken = true;
        handshakenNanos = MonotonicTime.nanos(channel.eventLoop());
        if (handshakeTimer != null) {
            handshakeTimer.cancel(false);
        }
        refreshInfo();
    }

    /** Marks the peer as a jv2p node; {@code false} if it was known as one already. */
    boolean markJv2p() {
        if (jv2p) {
            return false;
        }
        jv2p = true;
        refreshInfo();
        return true;
    }

    /** Takes the peer's compression list (see {@link LinkCompression}). */
    void applyCompression(List<Integer> ids, Map<Integer, Compression> supported, List<Compression> preference) {
        compression = LinkCompression.negotiate(ids, supported, preference);
    }

    /** The compressions the peer may send with. */
    List<Compression> receiveMethods() {
        return compression.receive();
    }

    /** Closes the connection: INFO for routine reasons, WARN for hostile input. */
    void close(String reason, boolean hostile) {
        if (closeReason != null) {
            return;
        }
        closeReason = reason;
        if (hostile) {
            LOG.warn("closing {}: {}", this, reason);
        } else {
            LOG.info("closing {}: {}", this, reason);
        }
        channel.close();
    }

    /** Closes a connection whose peer fell silent: the link was lost, and may be dialed again. */
    void closeAsLost(String reason) {
        lost = true;
        close(reason, false);
    }

    /** Cleans up after the channel closed; fails {@link #ready()} if the handshake never completed. */
    void onClosed() {
        whenWritable.clear();
        if (handshakeTimer != null) {
            handshakeTimer.cancel(false);
        }
        if (!ready.isDone()) {
            ready.completeExceptionally(new HandshakeException("connection to " + this
                    + " closed before the handshake: " + (closeReason == null ? "closed by the peer" : closeReason)));
        }
    }

    /** Logs a refused message: the first of this peer's at WARN, the others at DEBUG. */
    void refused(int subFlag, String reason) {
        lastError = "refused mesh message " + subFlag + ": " + reason;
        if (!refusalLogged) {
            refusalLogged = true;
            LOG.warn(
                    "refused mesh message {} from {}: {} (further refusals from this peer are logged at DEBUG)",
                    subFlag,
                    this,
                    reason);
        } else {
            LOG.debug("refused mesh message {} from {}: {}", subFlag, this, reason);
        }
    }

    /** Counts a frame received now; {@code false} if it exceeds the peer's message rate. */
    boolean received(int bodyLength) {
        assertOnLoop();
        counters.received(bodyLength);
        return traffic.received(bodyLength, MonotonicTime.nanos(channel.eventLoop()));
    }

    long messagesIn() {
        return traffic.messagesIn();
    }

    long silentNanos(long nowNanos) {
        return traffic.silentNanos(nowNanos);
    }

    long sinceHandshakeNanos(long nowNanos) {
        return nowNanos - handshakenNanos;
    }

    /** The throttle of this connection's {@code '*'} requests. */
    StateRequestThrottle stateRequests() {
        return stateRequests;
    }

    /**
     * Writes one block (checksum ‖ payload), compressed for this peer, as one frame; a peer
     * that has left more than {@code maxQueuedBytesPerPeer} unread is disconnected instead,
     * so that a slow or stalled reader never makes the heap grow.
     */
    void writeBlock(byte[] block, boolean allowCompression) {
        if (!channel.isActive() && !channel.isOpen()) {
            return;
        }
        byte[] body = Frames.body(block, allowCompression ? compression.send() : null);
        long queued = queuedBytes();
        if (queued + body.length + Frames.PREFIX_LENGTH > config.maxQueuedBytesPerPeer()) {
            close(
                    "reads too slowly: " + queued + " bytes already wait to be sent to it "
                            + "and the next frame would pass maxQueuedBytesPerPeer (" + config.maxQueuedBytesPerPeer()
                            + ")",
                    true);
            return;
        }
        ByteBuf prefix = channel.alloc().buffer(Frames.PREFIX_LENGTH).writeInt(body.length);
        channel.writeAndFlush(Unpooled.wrappedBuffer(prefix, Unpooled.wrappedBuffer(body)), channel.voidPromise());
        counters.sent(body.length);
        traffic.sent(body.length);
    }

    /** Sends a message of this node's, stamped now; on the event loop. */
    void sendNow(int mainFlag, List<Object> payload) {
        writeBlock(encoder.block(mainFlag, encoder.now(), payload), true);
    }

    /** Bytes written to this connection and not yet handed to the operating system. */
    long queuedBytes() {
        ChannelOutboundBuffer buffer = channel.unsafe().outboundBuffer();
        return buffer == null ? 0 : buffer.totalPendingWriteBytes();
    }

    /** Runs the tasks waiting for writability once the channel is writable again. */
    void onWritabilityChanged() {
        whenWritable.onWritabilityChanged();
    }

    void refreshInfo() {
        info = new PeerInfo(id, advertisedHost, advertisedPort, remote(), outgoing, jv2p, compression.announced());
    }

    /** This connection's status at {@code now}; {@code error} its last error, or its close reason. */
    PeerStatus status(Instant now, String error) {
        Duration silent = Duration.ofNanos(Math.max(0, silentNanos(MonotonicTime.nanos(channel.eventLoop()))));
        return new PeerStatus(
                id,
                InetSocketAddress.createUnresolved(advertisedHost == null ? "" : advertisedHost, advertisedPort),
                remote(),
                outgoing,
                jv2p,
                encoder.codec().name(),
                compression.announced(),
                compression.send() == null ? null : compression.send().name(),
                traffic.bytesIn(),
                traffic.bytesOut(),
                traffic.messagesIn(),
                traffic.messagesOut(),
                now.minus(silent),
                error);
    }

    String lastError() {
        return lastError;
    }

    InetSocketAddress remote() {
        return network.hostAndPort(channel.remoteAddress());
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public PeerInfo info() {
        return info;
    }

    @Override
    public boolean isJv2p() {
        return jv2p;
    }

    @Override
    public boolean isOpen() {
        return channel.isOpen();
    }

    @Override
    public boolean isWritable() {
        return channel.isWritable();
    }

    @Override
    public void whenWritable(Runnable task) {
        whenWritable.add(task);
    }

    @Override
    public void whisper(List<?> packets) {
        send(Flags.WHISPER, packets);
    }

    @Override
    public void send(int mainFlag, List<?> packets) {
        List<Object> normalized = Values.normalizeList(packets);
        onLoop(() -> sendNow(mainFlag, normalized));
    }

    @Override
    public void reportError(String reason) {
        lastError = reason;
    }

    @Override
    public void close(String reason) {
        onLoop(() -> close(reason, false));
    }

    private void onLoop(Runnable task) {
        if (channel.eventLoop().inEventLoop()) {
            task.run();
        } else {
            channel.eventLoop().execute(task);
        }
    }

    @Override
    public String toString() {
        String who = id == null ? "?" : (id.length() > 12 ? id.substring(0, 12) + "…" : id);
        InetSocketAddress r = remote();
        return "peer " + who + (r == null ? "" : "@" + r.getHostString() + ":" + r.getPort());
    }
}
