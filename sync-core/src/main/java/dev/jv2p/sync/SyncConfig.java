package dev.jv2p.sync;

import dev.jv2p.mesh.MeshConfig;
import dev.jv2p.sync.internal.SyncStoreConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Immutable configuration of a {@link SyncSocket}. Build it with {@link #builder()}; the
 * constructor behind {@link Builder#build()} validates every field and names the bad one, so
 * no unvalidated configuration exists.
 */
public final class SyncConfig {
    private final MeshConfig mesh;
    private final String subnet;
    private final boolean leasing;
    private final Boolean announceLeasing;
    private final Duration leaseDuration;
    private final Duration retention;
    private final Duration maxFutureSkew;
    private final int maxHistoryPerKey;
    private final Duration antiEntropyInterval;
    private final Duration js2pTransferDelay;
    private final Path dataDirectory;
    private final Durability durability;

    /** Copies and validates the builder's values; the exception message names the bad field. */
    private SyncConfig(Builder b) {
        mesh = Objects.requireNonNull(b.mesh, "mesh");
        subnet = Objects.requireNonNull(b.subnet, "subnet");
        leasing = b.leasing;
        announceLeasing = b.announceLeasing;
        leaseDuration = b.leaseDuration;
        retention = b.retention;
        maxFutureSkew = b.maxFutureSkew;
        maxHistoryPerKey = b.maxHistoryPerKey;
        antiEntropyInterval = requirePositive(b.antiEntropyInterval, "antiEntropyInterval");
        js2pTransferDelay = requirePositive(b.js2pTransferDelay, "js2pTransferDelay");
        dataDirectory = b.dataDirectory;
        durability = Objects.requireNonNull(b.durability, "durability");
        storeConfig(); // validates leaseDuration, retention, maxFutureSkew and maxHistoryPerKey
    }

    /** A builder with every default (see {@code docs/GUIDE.md}). */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this configuration's values. */
    public Builder toBuilder() {
        return new Builder()
                .mesh(mesh)
                .subnet(subnet)
                .leasing(leasing)
                .announceLeasing(announceLeasing)
                .leaseDuration(leaseDuration)
                .retention(retention)
                .maxFutureSkew(maxFutureSkew)
                .maxHistoryPerKey(maxHistoryPerKey)
                .antiEntropyInterval(antiEntropyInterval)
                .js2pTransferDelay(js2pTransferDelay)
                .dataDirectory(dataDirectory)
                .durability(durability);
    }

    /** The node's mesh settings; its protocol's subnet is replaced by {@link #announcedSubnet()}. */
    public MeshConfig mesh() {
        return mesh;
    }

    /**
     * The dictionary's network name (default {@code sync}); the protocol announces {@code subnet
     * + "1"} with leasing and {@code subnet + "0"} without, as js2p does.
     */
    public String subnet() {
        return subnet;
    }

    /** Whether a writer keeps a key for {@link #leaseDuration()} (default true). */
    public boolean leasing() {
        return leasing;
    }

    /**
     * The leasing suffix announced ({@code null}: as {@code leasing}). A default js2p node
     * (leasing argument omitted) announces {@code 1} yet lets the newer write win;
     * {@code leasing(false).announceLeasing(true)} joins such a network with its rules.
     */
    public Boolean announceLeasing() {
        return announceLeasing;
    }

    /** How long a write holds its key against other writers (1 h). */
    public Duration leaseDuration() {
        return leaseDuration;
    }

    /** How long history and tombstones are kept (24 h). */
    public Duration retention() {
        return retention;
    }

    /** How far ahead of this node's clock a write may be stamped (10 s). */
    public Duration maxFutureSkew() {
        return maxFutureSkew;
    }

    /**
     * Writes of one key past which those older than the retention are folded into its base at
     * once; writes a peer may still send (younger than the retention) are never folded early.
     */
    public int maxHistoryPerKey() {
        return maxHistoryPerKey;
    }

    /** How often jv2p peers compare digests (and old tombstones are collected). */
    public Duration antiEntropyInterval() {
        return antiEntropyInterval;
    }

    /**
     * How long to wait for a new peer's jv2p hello before sending the per-key transfer js2p
     * expects (default 50 ms). A jv2p node sends its hello right behind its first handshake, so
     * this covers the two arriving in separate reads, not a round trip.
     */
    public Duration js2pTransferDelay() {
        return js2pTransferDelay;
    }

    /**
     * Where the node keeps its dictionary and identity between runs ({@code null}, the default:
     * in memory only). One node per directory; see "Durability" in {@code docs/GUIDE.md}.
     */
    public Path dataDirectory() {
        return dataDirectory;
    }

    /** When a write counts as safe on disk, with a {@link #dataDirectory()} (default {@link Durability#GROUP_COMMIT}). */
    public Durability durability() {
        return durability;
    }

    /** The protocol subnet announced: {@code subnet} plus {@code 1} or {@code 0}. */
    public String announcedSubnet() {
        return subnet + ((announceLeasing != null ? announceLeasing : leasing) ? "1" : "0");
    }

    SyncStoreConfig storeConfig() {
        return SyncStoreConfig.builder()
                .leasing(leasing)
                .leaseDuration(leaseDuration)
                .retention(retention)
                .maxFutureSkew(maxFutureSkew)
                .maxHistoryPerKey(maxHistoryPerKey)
                .build();
    }

    private List<Object> values() {
        return Arrays.asList(
                mesh,
                subnet,
                leasing,
                announceLeasing,
                leaseDuration,
                retention,
                maxFutureSkew,
                maxHistoryPerKey,
                antiEntropyInterval,
                js2pTransferDelay,
                dataDirectory,
                durability);
    }

    /** Equal when every value is equal. */
    @Override
    public boolean equals(Object o) {
        return o == this || o instanceof SyncConfig other && values().equals(other.values());
    }

    @Override
    public int hashCode() {
        return values().hashCode();
    }

    @Override
    public String toString() {
        return "SyncConfig[mesh=" + mesh + ", subnet=" + subnet + ", leasing=" + leasing + ", announceLeasing="
                + announceLeasing + ", leaseDuration=" + leaseDuration + ", retention=" + retention
                + ", maxFutureSkew=" + maxFutureSkew + ", maxHistoryPerKey=" + maxHistoryPerKey
                + ", antiEntropyInterval=" + antiEntropyInterval + ", js2pTransferDelay=" + js2pTransferDelay
                + ", dataDirectory="
                + dataDirectory + ", durability=" + durability + "]";
    }

    private static Duration requirePositive(Duration d, String field) {
        Objects.requireNonNull(d, field);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("SyncConfig." + field + " must be positive, was " + d);
        }
        return d;
    }

    /** Collects settings; every setter returns this builder. */
    public static final class Builder {
        private MeshConfig mesh = MeshConfig.builder().build();
        private String subnet = "sync";
        private boolean leasing = true;
        private Boolean announceLeasing;
        private Duration leaseDuration = Duration.ofHours(1);
        private Duration retention = Duration.ofHours(24);
        private Duration maxFutureSkew = SyncStoreConfig.DEFAULT_MAX_FUTURE_SKEW;
        private int maxHistoryPerKey = 64;
        private Duration antiEntropyInterval = Duration.ofSeconds(10);
        private Duration js2pTransferDelay = Duration.ofMillis(50);
        private Path dataDirectory;
        private Durability durability = Durability.GROUP_COMMIT;

        private Builder() {}

        /** Sets the mesh settings. */
        public Builder mesh(MeshConfig v) {
            mesh = v;
            return this;
        }
        /** Sets the dictionary's network name. */
        public Builder subnet(String v) {
            subnet = v;
            return this;
        }
        /** Sets whether writers hold keys for the lease duration. */
        public Builder leasing(boolean v) {
            leasing = v;
            return this;
        }
        /** Sets the leasing suffix announced ({@code null}: as {@code leasing}). */
        public Builder announceLeasing(Boolean v) {
            announceLeasing = v;
            return this;
        }
        /** Sets how long a write holds its key. */
        public Builder leaseDuration(Duration v) {
            leaseDuration = v;
            return this;
        }
        /** Sets how long history and tombstones are kept. */
        public Builder retention(Duration v) {
            retention = v;
            return this;
        }
        /** Sets how far ahead of the clock a write may be stamped. */
        public Builder maxFutureSkew(Duration v) {
            maxFutureSkew = v;
            return this;
        }
        /** Sets writes of one key kept for exact replay. */
        public Builder maxHistoryPerKey(int v) {
            maxHistoryPerKey = v;
            return this;
        }
        /** Sets how often jv2p peers compare digests. */
        public Builder antiEntropyInterval(Duration v) {
            antiEntropyInterval = v;
            return this;
        }
        /** Sets how long to wait for a new peer's jv2p hello. */
        public Builder js2pTransferDelay(Duration v) {
            js2pTransferDelay = v;
            return this;
        }

        /** Sets the data directory ({@code null}: in memory only). */
        public Builder dataDirectory(Path v) {
            dataDirectory = v;
            return this;
        }
        /** Sets when a write counts as safe on disk. */
        public Builder durability(Durability v) {
            durability = v;
            return this;
        }

        /** Builds a validated configuration; the exception message names the bad field. */
        public SyncConfig build() {
            return new SyncConfig(this);
        }
    }
}
