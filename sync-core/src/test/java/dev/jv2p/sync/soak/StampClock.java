package dev.jv2p.sync.soak;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The system clock, which also tells a thread the first time it read since it last asked: a
 * write method reads its node's clock before anything else, on the calling thread (or on the
 * loop, for writes made there), so the soak learns the second its write was stamped with
 * without racing the clock. It can be {@linkplain #freeze() frozen} while the writers are
 * paused for a heap sample, so that the nodes' compaction does not fold more of the history
 * the longer the sample waits for agreement: after {@link #thaw()} it runs on from where it
 * stopped (behind the system clock by the time it stood still). Thread-safe.
 */
final class StampClock extends Clock {
    private static final long NONE = Long.MIN_VALUE;
    private final ThreadLocal<long[]> firstRead = ThreadLocal.withInitial(() -> new long[] {NONE});
    /** The reading while frozen, else {@link #NONE}. */
    private volatile long frozenAt = NONE;
    /** Milliseconds the clock stood still, in all. */
    private volatile long stoodStill;

    private long frozenSince;

    /** Stops the clock at the current reading. */
    synchronized void freeze() {
        if (frozenAt == NONE) {
            frozenSince = System.currentTimeMillis();
            frozenAt = frozenSince - stoodStill;
        }
    }

    /** Lets the clock run on from where it stopped. */
    synchronized void thaw() {
        if (frozenAt != NONE) {
            stoodStill += System.currentTimeMillis() - frozenSince;
            frozenAt = NONE;
        }
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
        long frozen = frozenAt;
        long now = frozen != NONE ? frozen : System.currentTimeMillis() - stoodStill;
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
