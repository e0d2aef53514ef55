package dev.jv2p.sync.soak;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The system clock, which also tells a thread the first time it read since it last asked: a
 * write method reads its node's clock before anything else, on the calling thread (or on the
 * loop, for writes made there), so the soak learns the second its write was stamped with
 * without racing the clock. Thread-safe.
 */
final class StampClock extends Clock {
    private static final long NONE = Long.MIN_VALUE;
    private final ThreadLocal<long[]> firstRead = ThreadLocal.withInitial(() -> new long[] {NONE});

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
        long now = System.currentTimeMillis();
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
