package dev.jv2p.mesh;

import io.netty.util.concurrent.EventExecutor;

/**
 * Where mesh-core reads monotonic time: from the {@link io.netty.util.concurrent.Ticker} of the
 * node's event loop, the same ticker by which that loop runs its scheduled tasks.
 *
 * <p>Why the loop's ticker and not a clock of our own in {@link MeshConfig}: every timer of a
 * node (keep-alive, handshake timeout, redial, a layer's {@link LayerContext#schedule}, Netty's
 * own idle and connect timeouts) is already a task scheduled on its event loop, and Netty 4.2
 * gives each loop one ticker for both its clock and its schedule. Reading time from that ticker
 * keeps the two from ever disagreeing, and needs no new option: a node started on an event loop
 * group whose ticker is virtual (mesh-testkit's {@code VirtualTime}, passed as {@code
 * MeshConfig.eventLoopGroup}) runs entirely in virtual time, while every other node reads
 * {@link System#nanoTime()} through Netty's system ticker exactly as before. Readings are only
 * compared with each other; their origin is arbitrary. Wall-clock time (message timestamps)
 * stays with {@link MeshConfig#clock()}.
 */
final class MonotonicTime {
    private MonotonicTime() {}

    /** The current reading of {@code loop}'s ticker, in nanoseconds. */
    static long nanos(EventExecutor loop) {
        return loop.ticker().nanoTime();
    }
}
