package dev.jv2p.mesh.testkit;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.local.LocalIoHandler;
import io.netty.util.concurrent.Promise;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/**
 * Virtual time for nodes on an {@link dev.jv2p.mesh.InMemoryNetwork}: an event loop group whose
 * clock stands still until the test {@linkplain #advance moves it}. A node started with {@code
 * MeshConfig.builder().eventLoopGroup(time.group())} reads its monotonic time from that clock and
 * runs every timer by it (keep-alive, handshake timeout, redial, a layer's anti-entropy, Netty's
 * own idle timeouts), so a test of a 20-second timeout takes milliseconds and does not depend on
 * how busy the machine is.
 *
 * <p><b>How.</b> Netty 4.2 gives each event loop a {@link io.netty.util.concurrent.Ticker}, by
 * which it both tells time and runs scheduled tasks; mesh-core and sync-core read time from the
 * ticker of the node's loop. This class makes one loop (one thread) with a virtual ticker, so all
 * nodes on it share one clock and one thread: their protocol work runs in one order, and {@link
 * #runUntilIdle()} can tell when none is left. Wall-clock stamps ({@code MeshConfig.clock}) are
 * separate; pass a manual {@link java.time.Clock} as well where stamps matter.
 *
 * <p><b>Threads.</b> {@link #advance} and {@link #runUntilIdle} are called from the test thread,
 * never from the loop. Work that other threads (listeners, the test) hand to the loop while the
 * clock moves runs too, but only what reaches the loop is waited for.
 */
public final class VirtualTime implements AutoCloseable {
    /** How long {@link #runUntilIdle()} waits, in real time, for nodes that never go idle. */
    private static final Duration IDLE_LIMIT = Duration.ofSeconds(30);

    private final VirtualTicker ticker = new VirtualTicker();
    private final VirtualLoopGroup group = new VirtualLoopGroup(ticker, LocalIoHandler.newFactory());

    /** A clock at zero elapsed time, with a loop of its own. */
    public VirtualTime() {}

    /** The event loop group to start nodes on ({@code MeshConfig.eventLoopGroup}); in-memory networks only. */
    public EventLoopGroup group() {
        return group;
    }

    /** The time that has passed on this clock since it was made. */
    public Duration elapsed() {
        return Duration.ofNanos(ticker.nanoTime() - ticker.initialNanoTime());
    }

    /**
     * Moves the clock forward by {@code duration}, stopping at each scheduled task's deadline on
     * the way to run it and everything it causes, then runs what is left at the end.
     *
     * @throws IllegalArgumentException if {@code duration} is negative
     * @throws IllegalStateException if called on the loop
     */
    public void advance(Duration duration) {
        if (duration.isNegative()) {
            throw new IllegalArgumentException("time cannot go back: " + duration);
        }
        long target = ticker.nanoTime() + duration.toNanos();
        runUntilIdle();
        while (true) {
            long next = onLoop(() -> group.loop().nextDeadline());
            if (next == -1 || next > target) {
                break;
            }
            ticker.advanceTo(next);
            runUntilIdle();
        }
        ticker.advanceTo(target);
        runUntilIdle();
    }

    /**
     * Moves the clock from one scheduled task's deadline to the next until {@code condition}
     * holds (checked whenever the nodes are idle), for at most {@code limit}.
     *
     * @return how far the clock moved
     * @throws AssertionError if {@code condition} does not hold within {@code limit}
     */
    public Duration advanceUntil(BooleanSupplier condition, Duration limit) {
        long start = ticker.nanoTime();
        long target = start + limit.toNanos();
        while (true) {
            runUntilIdle();
            if (condition.getAsBoolean()) {
                return Duration.ofNanos(ticker.nanoTime() - start);
            }
            long next = onLoop(() -> group.loop().nextDeadline());
            if (next == -1 || next > target) {
                throw new AssertionError("the condition did not hold within " + limit + " of virtual time");
            }
            ticker.advanceTo(next);
        }
    }

    /**
     * Runs everything the nodes have to do without the clock moving: queued tasks, the frames in
     * flight between them, timers already due.
     *
     * @throws IllegalStateException if they are still busy after 30 s of real time (a node that
     *     keeps itself busy without end), or if called on the loop
     */
    public void runUntilIdle() {
        VirtualLoopGroup.Loop loop = group.loop();
        Promise<Boolean> idle = loop.newPromise();
        // checked on the loop, after whatever is queued or due, until nothing is: the test
        // thread waits once instead of polling, which on a small machine takes the loop's CPU
        Runnable check = new Runnable() {
            @Override
            public void run() {
                if (loop.idle()) {
                    idle.setSuccess(true);
                } else {
                    // as a task due now, not a queued one: Netty takes due tasks in only
                    // between runs of its queue, which a task queueing itself keeps running
                    loop.schedule(this, 0, TimeUnit.NANOSECONDS);
                }
            }
        };
        onLoop(() -> {
            check.run();
            return idle;
        });
        try {
            if (!idle.await(IDLE_LIMIT.toMillis())) {
                throw new IllegalStateException("the nodes on " + this + " are still busy after " + IDLE_LIMIT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the nodes ran", e);
        }
    }

    private <T> T onLoop(Callable<T> task) {
        if (group.loop().inEventLoop()) {
            throw new IllegalStateException("virtual time is moved from the test thread, not from the event loop");
        }
        try {
            return group.loop().submit(task).get(IDLE_LIMIT.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while moving virtual time", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the event loop of " + this + " did not answer", e);
        }
    }

    /** Stops the loop; close the nodes on it first. The clock runs freely from here, so Netty's shutdown can end. */
    @Override
    public void close() {
        ticker.runFreely();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Override
    public String toString() {
        return "virtual time at " + elapsed();
    }
}
