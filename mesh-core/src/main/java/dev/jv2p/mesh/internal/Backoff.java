package dev.jv2p.mesh.internal;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Exponential back-off between attempts: the first wait is {@code first}, each later one twice
 * the one before, never more than {@code max}. {@link #reset} starts over after a success.
 * {@link #next(RandomGenerator)} jitters each wait, so that many nodes refused at once do not
 * all come back at the same instant.
 *
 * <p>Not thread-safe: each user keeps one per target, confined to its event loop.
 */
public final class Backoff {
    private final long firstNanos;
    private final long maxNanos;
    private long nextNanos;

    /**
     * @param first the first wait, positive
     * @param max the longest wait, not negative; a {@code max} below {@code first} caps every
     *     wait after the first
     * @throws IllegalArgumentException if {@code first} is not positive or {@code max} is negative
     */
    public Backoff(Duration first, Duration max) {
        Objects.requireNonNull(first, "first");
        Objects.requireNonNull(max, "max");
        if (first.isNegative() || first.isZero()) {
            throw new IllegalArgumentException("first back-off must be positive, was " + first);
        }
        if (max.isNegative()) {
            throw new IllegalArgumentException("longest back-off must not be negative, was " + max);
        }
        this.firstNanos = saturatedNanos(first);
        this.maxNanos = saturatedNanos(max);
        this.nextNanos = firstNanos;
    }

    /** The wait before the next attempt; the one after it doubles (up to the longest). */
    public Duration next() {
        long wait = nextNanos;
        long doubled = wait > Long.MAX_VALUE / 2 ? Long.MAX_VALUE : wait * 2;
        nextNanos = Math.min(doubled, maxNanos);
        return Duration.ofNanos(wait);
    }

    /**
     * As {@link #next()}, but a wait drawn uniformly between half that wait and the whole of it
     * ("equal jitter"): attempts still back off exponentially and never wait longer than {@code
     * max}, but nodes that failed together spread out.
     */
    public Duration next(RandomGenerator random) {
        long wait = next().toNanos();
        long half = wait / 2;
        return Duration.ofNanos(wait - half + random.nextLong(half + 1));
    }

    /** Starts over: the next wait is the first one again. */
    public void reset() {
        nextNanos = firstNanos;
    }

    private static long saturatedNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException tooLong) {
            return Long.MAX_VALUE;
        }
    }
}
