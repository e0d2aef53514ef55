package dev.jv2p.mesh.testkit;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.local.LocalAddress;
import io.netty.util.ReferenceCountUtil;
import java.net.SocketAddress;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The emulator's hand on one channel, first in its pipeline (next to the bytes): applies the
 * {@link NetworkEmulator}'s rule for the node and its peer to every write. A dialing channel is
 * given a local address that names its node, so that the accepting side can tell who the peer
 * is. Runs on the channel's event loop.
 */
final class EmulatedLink extends ChannelDuplexHandler {
    static final String DIAL_PREFIX = "jv2p-emulated-dial/";
    private static final AtomicLong DIALS = new AtomicLong();

    private final NetworkEmulator emulator;
    private final String self;
    /** When the last delayed write is due; a later write waits for it, so order is kept. */
    private long lastDueNanos = Long.MIN_VALUE;
    /** The node this channel dialed, once it is active; null on the accepting side. */
    private String dialedNode;

    private boolean dialing;
    /** Delayed writes not yet handed on, oldest first. */
    private final ArrayDeque<Object> delayed = new ArrayDeque<>();

    EmulatedLink(NetworkEmulator emulator, String self) {
        this.emulator = emulator;
        this.self = self;
    }

    @Override
    public void connect(ChannelHandlerContext ctx, SocketAddress remote, SocketAddress local, ChannelPromise promise) {
        SocketAddress named =
                local != null ? local : new LocalAddress(DIAL_PREFIX + self + "#" + DIALS.incrementAndGet());
        dialing = true;
        ctx.connect(remote, named, promise);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (dialing) {
            dialedNode = String.valueOf(emulator.nameOf(ctx.channel().remoteAddress()));
            emulator.dial(self, dialedNode, true);
        }
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (dialedNode != null) {
            emulator.dial(self, dialedNode, false);
            dialedNode = null;
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        NetworkEmulator.Rule rule =
                emulator.rule(self, emulator.nameOf(ctx.channel().remoteAddress()));
        if (rule != null && rule.drop()) {
            ReferenceCountUtil.release(msg);
            promise.trySuccess();
            return;
        }
        long now = ctx.executor().ticker().nanoTime();
        long delay = rule == null ? 0 : rule.delay().toNanos();
        if (delay == 0 && lastDueNanos <= now) {
            ctx.write(msg, promise);
            return;
        }
        long due = Math.max(lastDueNanos, now + delay);
        lastDueNanos = due;
        delayed.add(msg);
        ctx.executor()
                .schedule(
                        () -> {
                            // due times only grow, so this task's write is the oldest one held
                            Object next = delayed.poll();
                            if (next != null) {
                                ctx.write(next, promise);
                                ctx.flush();
                            }
                        },
                        due - now,
                        TimeUnit.NANOSECONDS);
    }

    /**
     * Releases the writes still held: a loop shut down with a node (the end of a test) never
     * runs their tasks.
     */
    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        Object held;
        while ((held = delayed.poll()) != null) {
            ReferenceCountUtil.release(held);
        }
    }
}
