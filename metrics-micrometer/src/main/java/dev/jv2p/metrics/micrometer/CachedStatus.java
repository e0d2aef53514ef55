package dev.jv2p.metrics.micrometer;

import java.time.Duration;
import java.util.Objects;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The last status snapshot, taken again once it is older than {@code maxAge}: every meter of
 * one scrape reads the same snapshot, and a scrape costs one trip to the node's event loop
 * instead of one per meter. Its age is measured by the node's own monotonic clock ({@code
 * LayerContext.nanoTime()}, the ticker of the node's event loop), so a node in virtual time
 * ages its snapshot by virtual time. Thread-safe.
 */
final class CachedStatus<S> {
    private final Supplier<S> source;
    private final LongSupplier ticker;
    private final long maxAgeNanos;
    private S last;
    private long takenAt;

    /** Snapshots from {@code source}, aged by {@code ticker}'s readings in nanoseconds. */
    CachedStatus(Supplier<S> source, LongSupplier ticker, Duration maxAge) {
        if (maxAge.isNegative()) {
            throw new IllegalArgumentException("maxAge must not be negative, was " + maxAge);
        }
        this.source = Objects.requireNonNull(source, "source");
        this.ticker = Objects.requireNonNull(ticker, "ticker");
        this.maxAgeNanos = maxAge.toNanos();
    }

    synchronized S get() {
        long now = ticker.getAsLong();
        if (last == null || now - takenAt > maxAgeNanos) {
            last = source.get();
            takenAt = now;
        }
        return last;
    }
}
