package dev.jv2p.mesh;

import dev.jv2p.mesh.spi.Compression;
import dev.jv2p.mesh.spi.Network;
import dev.jv2p.mesh.wire.Frames;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The state of one TCP connection. Fields are read and written on the node's event loop
 * only; {@link PeerLink} methods hand their work to it.
 */
final class Connection implements PeerLink {
    final Channel channel;
    final boolean outgoing;
    final Router router;
    /** The id this node expected when it dialed from a peers list or a response; else null. */
    final String expectedId;
    /** Whether this side sends its second handshake, peers list and state (spec §9.2). */
    final boolean awaiting;
    final CompletableFuture<PeerInfo> ready = new CompletableFuture<>();

    volatile String id;
    volatile boolean jv2p;
    volatile PeerInfo info;
    String advertisedHost;
    int advertisedPort;
    List<Integer> compression = List.of();
    List<Compression> receiveMethods = List.of();
    Compression sendMethod;
    boolean handshaken;
    long lastHeardNanos = System.nanoTime();
    /** When the peer's first handshake arrived on this connection. */
    long handshakenNanos;
    ScheduledFuture<?> handshakeTimer;
    String closeReason;
    /** Closed by this node because the peer fell silent: the link was lost, not refused. */
    boolean lost;
    /** Traffic of this connection, for {@link MeshSocket#status()}; event loop only. */
    long bytesIn;
    long bytesOut;
    long messagesIn;
    long messagesOut;
    volatile String lastError;
    final TokenBucket inboundRate;
    long lastStateRequestNanos;
    boolean servedStateRequest;
    int ignoredStateRequests;
    private final Network network;
    /** Tasks waiting for the outbound queue to drain below the low water mark. */
    private final List<Runnable> whenWritable = new ArrayList<>();

    Connection(Channel channel, boolean outgoing, String expectedId, Router router, Network network) {
        this.channel = channel;
        this.network = network;
        this.outgoing = outgoing;
        this.expectedId = expectedId;
        this.awaiting = !outgoing || expectedId == null;
        this.router = router;
        this.inboundRate = new TokenBucket(router.config.maxMessagesPerSecond(), router.config.messageBurst(),
                System.nanoTime());
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
        byte[] body = Frames.body(block, allowCompression ? sendMethod : null);
        long queued = queuedBytes();
        if (queued + body.length + Frames.PREFIX_LENGTH > router.config.maxQueuedBytesPerPeer()) {
            router.closeConnection(this, "reads too slowly: " + queued + " bytes already wait to be sent to it "
                    + "and the next frame would pass maxQueuedBytesPerPeer (" + router.config.maxQueuedBytesPerPeer()
                    + ")", true);
            return;
        }
        ByteBuf prefix = channel.alloc().buffer(Frames.PREFIX_LENGTH).writeInt(body.length);
        channel.writeAndFlush(Unpooled.wrappedBuffer(prefix, Unpooled.wrappedBuffer(body)), channel.voidPromise());
        router.countSent(body.length);
        messagesOut++;
        bytesOut += body.length + Frames.PREFIX_LENGTH;
    }

    /** Bytes written to this connection and not yet handed to the operating system. */
    long queuedBytes() {
        ChannelOutboundBuffer buffer = channel.unsafe().outboundBuffer();
        return buffer == null ? 0 : buffer.totalPendingWriteBytes();
    }

    /** Runs the tasks waiting for writability once the channel is writable again. */
    void onWritabilityChanged() {
        if (!channel.isWritable() || whenWritable.isEmpty()) {
            return;
        }
        List<Runnable> due = new ArrayList<>(whenWritable);
        whenWritable.clear();
        for (Runnable task : due) {
            Router.safely(task);
        }
    }

    void onClosed() {
        whenWritable.clear();
    }

    void refreshInfo() {
        info = new PeerInfo(id, advertisedHost, advertisedPort, remote(), outgoing, jv2p, compression);
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
        router.loop.execute(() -> {
            if (!channel.isOpen()) {
                return;
            }
            if (channel.isWritable()) {
                task.run();
            } else {
                whenWritable.add(task);
            }
        });
    }

    @Override
    public void whisper(List<?> packets) {
        send(Flags.WHISPER, packets);
    }

    @Override
    public void send(int mainFlag, List<?> packets) {
        List<Object> normalized = Values.normalizeList(packets);
        router.onLoop(() -> router.sendTo(this, mainFlag, normalized));
    }

    @Override
    public void reportError(String reason) {
        lastError = reason;
    }

    @Override
    public void close(String reason) {
        router.onLoop(() -> router.closeConnection(this, reason, false));
    }

    @Override
    public String toString() {
        String who = id == null ? "?" : (id.length() > 12 ? id.substring(0, 12) + "…" : id);
        InetSocketAddress r = remote();
        return "peer " + who + (r == null ? "" : "@" + r.getHostString() + ":" + r.getPort());
    }
}
