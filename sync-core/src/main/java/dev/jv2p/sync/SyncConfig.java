package dev.jv2p.sync;

import dev.jv2p.mesh.MeshConfig;
import dev.jv2p.sync.internal.SyncStoreConfig;
import java.time.Duration;
import java.util.Objects;

/**
 * Immutable configuration of a {@link SyncSocket}.
 *
 * @param mesh the node's mesh settings; its protocol's subnet is replaced by {@code subnet}
 *     plus the leasing suffix
 * @param subnet the dictionary's network name (default {@code sync}); the protocol announces
 *     {@code subnet + "1"} with leasing and {@code subnet + "0"} without, as js2p does
 * @param leasing whether a writer keeps a key for {@code leaseDuration} (default true)
 * @param announceLeasing the leasing suffix announced ({@code null}: as {@code leasing}). A
 *     default js2p node (leasing argument omitted) announces {@code 1} yet lets the newer write
 *     win; {@code leasing(false).announceLeasing(true)} joins such a network with its rules
 * @param leaseDuration how long a write holds its key against other writers (1 h)
 * @param retention how long history and tombstones are kept (24 h)
 * @param maxFutureSkew how far ahead of this node's clock a write may be stamped (10 s)
 * @param maxHistoryPerKey writes of one key past which those older than the retention are folded
 *     into its base at once; writes a peer may still send (younger than the retention) are never
 *     folded early
 * @param antiEntropyInterval how often jv2p peers compare digests (and old tombstones are collected)
 * @param js2pTransferDelay how long to wait for a new peer's jv2p hello before sending it the
 *     per-key transfer js2p peers expect
 */
public record SyncConfig(MeshConfig mesh, String subnet, boolean leasing, Boolean announceLeasing, Duration leaseDuration,
        Duration retention,
        Duration maxFutureSkew, int maxHistoryPerKey, Duration antiEntropyInterval, Duration js2pTransferDelay) {

    /** Validates every field; the exception names the bad one. */
    public SyncConfig {
        Objects.requireNonNull(mesh, "mesh");
        Objects.requireNonNull(subnet, "subnet");
        requirePositive(antiEntropyInterval, "antiEntropyInterval");
        requirePositive(js2pTransferDelay, "js2pTransferDelay");
        storeConfig(leasing, leaseDuration, retention, maxFutureSkew, maxHistoryPerKey);
    }

    /** A builder with every default (see the table above and {@code docs/GUIDE.md}). */
    public static Builder builder() {
        return new Builder();
    }

    /** The protocol subnet announced: {@code subnet} plus {@code 1} or {@code 0}. */
    public String announcedSubnet() {
        return subnet + ((announceLeasing != null ? announceLeasing : leasing) ? "1" : "0");
    }

    SyncStoreConfig storeConfig() {
        return storeConfig(leasing, leaseDuration, retention, maxFutureSkew, maxHistoryPerKey);
    }

    private static SyncStoreConfig storeConfig(boolean leasing, Duration lease, Duration retention, Duration skew,
            int history) {
        return SyncStoreConfig.builder().leasing(leasing).leaseDuration(lease).retention(retention)
                .maxFutureSkew(skew).maxHistoryPerKey(history).build();
    }

    private static void requirePositive(Duration d, String field) {
        Objects.requireNonNull(d, field);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("SyncConfig." + field + " must be positive, was " + d);
        }
    }

    /** Collects settings; every setter returns this builder. */
    public static final class Builder {
        private MeshConfig mesh = MeshConfig.builder().build();
        private String subnet = "sync";
        private boolean leasing = true;
        private Boolean announceLeasing;
        private Duration leaseDuration = Duration.ofHours(1);
        private Duration retention = Duration.ofHours(24);
        private Duration maxFutureSkew = dev.jv2p.sync.internal.SyncStoreConfig.DEFAULT_MAX_FUTURE_SKEW;
        private int maxHistoryPerKey = 64;
        private Duration antiEntropyInterval = Duration.ofSeconds(10);
        private Duration js2pTransferDelay = Duration.ofMillis(300);

        private Builder() {
        }

        /** Sets the mesh settings. */
        public Builder mesh(MeshConfig v) { mesh = v; return this; }
        /** Sets the dictionary's network name. */
        public Builder subnet(String v) { subnet = v; return this; }
        /** Sets whether writers hold keys for the lease duration. */
        public Builder leasing(boolean v) { leasing = v; return this; }
        /** Sets the leasing suffix announced ({@code null}: as {@code leasing}). */
        public Builder announceLeasing(Boolean v) { announceLeasing = v; return this; }
        /** Sets how long a write holds its key. */
        public Builder leaseDuration(Duration v) { leaseDuration = v; return this; }
        /** Sets how long history and tombstones are kept. */
        public Builder retention(Duration v) { retention = v; return this; }
        /** Sets how far ahead of the clock a write may be stamped. */
        public Builder maxFutureSkew(Duration v) { maxFutureSkew = v; return this; }
        /** Sets writes of one key kept for exact replay. */
        public Builder maxHistoryPerKey(int v) { maxHistoryPerKey = v; return this; }
        /** Sets how often jv2p peers compare digests. */
        public Builder antiEntropyInterval(Duration v) { antiEntropyInterval = v; return this; }
        /** Sets how long to wait for a new peer's jv2p hello. */
        public Builder js2pTransferDelay(Duration v) { js2pTransferDelay = v; return this; }

        /** Validates and builds; the exception message names the bad field. */
        public SyncConfig build() {
            return new SyncConfig(mesh, subnet, leasing, announceLeasing, leaseDuration, retention, maxFutureSkew,
                    maxHistoryPerKey,
                    antiEntropyInterval, js2pTransferDelay);
        }
    }
}
