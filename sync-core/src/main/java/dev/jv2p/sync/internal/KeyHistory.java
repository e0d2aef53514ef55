package dev.jv2p.sync.internal;

import dev.jv2p.mesh.spi.Values;
import dev.jv2p.sync.Key;
import java.util.List;
import java.util.Objects;

/**
 * The transferable form of one key: everything a jv2p peer needs to merge it under the same
 * rule as the sender. {@code base} is the fold of every write the sender held stamped before
 * {@code horizon} ({@code null} if none); {@code writes} are the writes it holds since, each
 * with its full stamp (owner, timestamp, seq) and kind, tombstones being {@code DELETE}s. See
 * {@link SyncStore#importHistory} for how a receiver merges it. Immutable.
 */
public record KeyHistory(Key key, long horizon, Entry base, List<Write> writes) {
    /** Checks the fields and copies the writes. */
    public KeyHistory {
        Objects.requireNonNull(key, "key");
        if (horizon < 0) {
            throw new IllegalArgumentException("horizon " + horizon + " of " + key + " is negative");
        }
        if (base != null) {
            if (!base.key().equals(key) || base.stamp().timestamp() >= horizon) {
                throw new IllegalArgumentException("base " + base + " is not a state of " + key + " before " + horizon);
            }
            base = new Entry(key, Values.normalize(base.value()), base.stamp());
        }
        writes = List.copyOf(writes);
        for (Write w : writes) {
            if (!w.key().equals(key) || w.timestamp() < horizon) {
                throw new IllegalArgumentException("write " + w + " does not belong to " + key + " after " + horizon);
            }
        }
    }
}
