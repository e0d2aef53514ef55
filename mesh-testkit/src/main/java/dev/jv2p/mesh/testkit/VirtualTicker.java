package dev.jv2p.mesh.testkit;

import io.netty.util.concurrent.MockTicker;
import java.util.concurrent.TimeUnit;

/**
 * The clock of a {@link VirtualTime}: stands still until the test moves it. Its origin is the
 * system reading when it was made, so that the few readings Netty takes from the system ticker
 * while it builds a loop compare sensibly with it. Once {@link #runFreely() set running} (while
 * the loop shuts down) it goes on at the pace of the system clock from where it stood, so that
 * Netty's graceful-shutdown timeouts end. Thread-safe.
 */
final class VirtualTicker implements MockTicker {
    private final long origin = System.nanoTime();
    private long offset;
    private long freeSince = -1;

    @Override
    public long initialNanoTime() {
        return origin;
    }

    @Override
    public synchronized long nanoTime() {
        long free = freeSince < 0 ? 0 : System.nanoTime() - freeSince;
        return origin + offset + free;
    }

    @Override
    public synchronized void advance(long amount, TimeUnit unit) {
        if (amount < 0) {
            throw new IllegalArgumentException("time cannot go back: " + amount + " " + unit);
        }
        offset += unit.toNanos(amount);
        notifyAll();
    }

    /** Moves the clock to {@code reading} unless it is there already. */
    synchronized void advanceTo(long reading) {
        long now = nanoTime();
        if (reading > now) {
            advance(reading - now, TimeUnit.NANOSECONDS);
        }
    }

    /** Lets the clock run with the system's from now on. */
    synchronized void runFreely() {
        if (freeSince < 0) {
            freeSince = System.nanoTime();
        }
        notifyAll();
    }

    /** Waits until the clock has moved by {@code delay}: someone else must move it. */
    @Override
    public synchronized void sleep(long delay, TimeUnit unit) throws InterruptedException {
        long until = nanoTime() + unit.toNanos(delay);
        while (nanoTime() < until) {
            if (freeSince >= 0) {
                TimeUnit.NANOSECONDS.timedWait(this, until - nanoTime());
            } else {
                wait();
            }
        }
    }
}
