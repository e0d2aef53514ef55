package dev.jv2p.mesh;

/**
 * A token bucket: {@code rate} tokens a second, holding at most {@code burst}, full at the
 * start. Times are {@link System#nanoTime()} readings passed in, so tests control them.
 * Owned by one thread; not thread-safe.
 */
final class TokenBucket {
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final long rate;
    private final long burst;
    private double tokens;
    private long lastNanos;

    TokenBucket(long rate, long burst, long nowNanos) {
        this.rate = rate;
        this.burst = burst;
        this.tokens = burst;
        this.lastNanos = nowNanos;
    }

    /** Takes one token; {@code false} if the bucket is empty (nothing is taken then). */
    boolean tryTake(long nowNanos) {
        long elapsed = nowNanos - lastNanos;
        if (elapsed > 0) {
            tokens = Math.min(burst, tokens + (double) elapsed * rate / NANOS_PER_SECOND);
            lastNanos = nowNanos;
        }
        if (tokens < 1) {
            return false;
        }
        tokens--;
        return true;
    }
}
