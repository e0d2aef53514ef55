package dev.jv2p.sync.internal;

import dev.jv2p.mesh.spi.Values;
import dev.jv2p.sync.Key;
import dev.jv2p.sync.MetaTuple;
import java.util.Objects;

/**
 * The state of one key: its value and the stamp of the write that produced it. A
 * {@code null} value is a tombstone: the key was deleted, and the stamp still holds the
 * deleter's lease and orders the delete against late writes.
 *
 * <p>Values are shared, not copied: callers must not modify a {@code byte[]} they get here.
 */
public record Entry(Key key, Object value, WriteStamp stamp) {
    /** Checks that key and stamp are given. */
    public Entry {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(stamp, "stamp");
    }

    /** Whether this state is a delete. */
    public boolean isTombstone() {
        return value == null;
    }

    /** Owner and timestamp, as users see them. */
    public MetaTuple meta() {
        return stamp.meta();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Entry e && key.equals(e.key) && stamp.equals(e.stamp) && Values.deepEquals(value, e.value);
    }

    @Override
    public int hashCode() {
        return Objects.hash(key, stamp) * 31 + Values.deepHashCode(value);
    }

    @Override
    public String toString() {
        return key + " = " + (value == null ? "<deleted>" : Values.toString(value)) + " @" + stamp;
    }
}
