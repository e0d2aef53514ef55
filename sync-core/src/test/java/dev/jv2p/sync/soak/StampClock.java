package dev.jv2p.sync.soak;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The nodes' clock in the soak: it starts at the system time and runs on only as the writers
 * work, {@link #advance}d by each tick a writer makes, so that one second on it holds the same
 * number of ticks however loaded the machine is. The history a node holds is the writes of the
 * last retention on this clock, and so the same size at every heap sample; on the system clock
 * it followed the machine's load (a 600-s run held 38,800 writes at one sample and 67,100 at
 * the other, with 16,400 and 37,300 writes made in the retention before each). While the
 * writers are paused (a restart, a heap sample, the end) it stands still, so compaction does
 * not fold more history the longer a sample waits for agreement. Timers and timeouts run on
 * the monotonic clock, as always. It also tells a thread the first time it read since it last
 * asked: a write method reads its node's clock before anything else, on the calling thread (or
 * on the loop, for writes made there), so the soak learns the second its write was stamped with
 * without racing the clock. Thread-safe.
 */
final class StampClock extends Clock {
    private static final long NONE = Long.MIN_VALUE;
    private final ThreadLocal<long[]> firstRead = ThreadLocal.withInitial(() -> new long[] {NONE});
    private final long startMillis = System.currentTimeMillis();
    private final AtomicLong elapsedNanos = new AtomicLong();

    /** Moves the clock on by {@code nanos}. */
    void advance(long nanos) {
        elapsedNanos.addAndGet(nanos);
    }

    /** How far the clock has run since it was made. */
    long elapsedNanos() {
        return elapsedNanos.get();
    }

    /** Forgets this thread's readings; the next one is kept. */
    void reset() {
        firstRead.get()[0] = NONE;
    }

    /** The second of this thread's first reading since {@link #reset()}. */
    long firstSecond() {
        long millis = firstRead.get()[0];
        if (millis == NONE) {
            throw new IllegalStateException("the write did not read the clock on this thread");
        }
        return Math.floorDiv(millis, 1000L);
    }

    @Override
    public long millis() {
        long now = startMillis + elapsedNanos.get() / 1_000_000;
        long[] first = firstRead.get();
        if (first[0] == NONE) {
            first[0] = now;
        }
        return now;
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis());
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
