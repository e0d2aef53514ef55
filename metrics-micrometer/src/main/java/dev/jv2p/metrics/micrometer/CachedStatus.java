package dev.jv2p.metrics.micrometer;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * The last status snapshot, taken again once it is older than {@code maxAge}: every meter of
 * one scrape reads the same snapshot, and a scrape costs one trip to the node's event loop
 * instead of one per meter. Thread-safe.
 */
final class CachedStatus<S> {
    private final Supplier<S> source;
    private final long maxAgeNanos;
    private S last;
    private long takenAt;

    CachedStatus(Supplier<S> source, Duration maxAge) {
        if (maxAge.isNegative()) {
            throw new IllegalArgumentException("maxAge must not be negative, was " + maxAge);
        }
        this.source = source;
        this.maxAgeNanos = maxAge.toNanos();
    }

    synchronized S get() {
        long now = System.nanoTime();
        if (last == null || now - takenAt > maxAgeNanos) {
            last = source.get();
            takenAt = now;
        }
        return last;
    }
}
