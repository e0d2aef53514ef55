package dev.jv2p.sync.internal;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of a {@link SyncStore}. Immutable; build with {@link #builder()}.
 *
 * @param leasing whether leases are enforced (spec §12.6 column "{@code true}"); {@code false}
 *     gives the last-writer-wins behaviour of a js2p node built with leasing omitted
 * @param leaseDuration how long a write holds its key against other owners (p2p.today: 1 h)
 * @param retention how late a write may arrive and still be merged exactly; also how long
 *     history is kept; tombstones are kept for retention plus one lease duration
 * @param maxFutureSkew how far ahead of this node's clock a write may be stamped
 * @param maxHistoryPerKey how many writes of one key are kept for replay before the oldest are
 *     folded into the base state early; only writes older than the retention are folded so, never
 *     one a peer may still send (one owner's writes of one second are folded at once whatever this
 *     says: see {@link OwnerRun})
 * @param foldDeltas whether deltas one owner makes in one second merge into one write; off where
 *     each write must keep its owner's signature
 */
public record SyncStoreConfig(
        boolean leasing,
        Duration leaseDuration,
        Duration retention,
        Duration maxFutureSkew,
        int maxHistoryPerKey,
        boolean foldDeltas) {

    /** Checks the settings: whole seconds, a positive retention and history cap. */
    public SyncStoreConfig {
        requireWholeSeconds("leaseDuration", leaseDuration, Duration.ZERO);
        requireWholeSeconds("retention", retention, Duration.ofSeconds(1));
        requireWholeSeconds("maxFutureSkew", maxFutureSkew, Duration.ZERO);
        if (maxHistoryPerKey < 1) {
            throw new IllegalArgumentException("maxHistoryPerKey must be at least 1, not " + maxHistoryPerKey);
        }
    }

    /**
     * How far ahead of the clock a write may be stamped, by default. A write stamped ahead wins
     * every honest write of that key until the clock catches up (leasing off) or holds its lease
     * that much longer (leasing on), so this is what a hostile member can gain by future-dating;
     * hosts kept by NTP are within milliseconds of each other. p2p.today has no such bound.
     */
    public static final Duration DEFAULT_MAX_FUTURE_SKEW = Duration.ofSeconds(10);

    /** A builder holding the defaults (see {@link #defaults()}). */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding these settings. */
    public Builder toBuilder() {
        return new Builder()
                .leasing(leasing)
                .leaseDuration(leaseDuration)
                .retention(retention)
                .maxFutureSkew(maxFutureSkew)
                .maxHistoryPerKey(maxHistoryPerKey)
                .foldDeltas(foldDeltas);
    }

    /** The defaults: leasing off (what js2p does when leasing is omitted), 1 h lease, 24 h retention. */
    public static SyncStoreConfig defaults() {
        return builder().build();
    }

    long leaseSeconds() {
        return leaseDuration.toSeconds();
    }

    long retentionSeconds() {
        return retention.toSeconds();
    }

    long maxFutureSkewSeconds() {
        return maxFutureSkew.toSeconds();
    }

    private static void requireWholeSeconds(String field, Duration value, Duration min) {
        Objects.requireNonNull(value, field);
        if (value.compareTo(min) < 0) {
            throw new IllegalArgumentException(field + " must be at least " + min + ", not " + value);
        }
        if (value.getNano() != 0) {
            throw new IllegalArgumentException(field + " must be whole seconds (p2p.today stamps are), not " + value);
        }
    }

    /** Mutable builder; {@link #build()} validates and names the bad field. */
    public static final class Builder {
        private boolean leasing;
        private Duration leaseDuration = Duration.ofHours(1);
        private Duration retention = Duration.ofHours(24);
        private Duration maxFutureSkew = DEFAULT_MAX_FUTURE_SKEW;
        private int maxHistoryPerKey = 1024;
        private boolean foldDeltas = true;

        private Builder() {}

        /** Sets {@link SyncStoreConfig#leasing()}. */
        public Builder leasing(boolean leasing) {
            this.leasing = leasing;
            return this;
        }

        /** Sets {@link SyncStoreConfig#leaseDuration()}. */
        public Builder leaseDuration(Duration leaseDuration) {
            this.leaseDuration = leaseDuration;
            return this;
        }

        /** Sets {@link SyncStoreConfig#retention()}. */
        public Builder retention(Duration retention) {
            this.retention = retention;
            return this;
        }

        /** Sets {@link SyncStoreConfig#maxFutureSkew()}. */
        public Builder maxFutureSkew(Duration maxFutureSkew) {
            this.maxFutureSkew = maxFutureSkew;
            return this;
        }

        /** Sets {@link SyncStoreConfig#maxHistoryPerKey()}. */
        public Builder maxHistoryPerKey(int maxHistoryPerKey) {
            this.maxHistoryPerKey = maxHistoryPerKey;
            return this;
        }

        /** Sets {@link SyncStoreConfig#foldDeltas()}. */
        public Builder foldDeltas(boolean foldDeltas) {
            this.foldDeltas = foldDeltas;
            return this;
        }

        /** The settings, checked. */
        public SyncStoreConfig build() {
            return new SyncStoreConfig(leasing, leaseDuration, retention, maxFutureSkew, maxHistoryPerKey, foldDeltas);
        }
    }
}
