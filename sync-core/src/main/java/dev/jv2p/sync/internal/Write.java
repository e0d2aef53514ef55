package dev.jv2p.sync.internal;

import dev.jv2p.mesh.spi.Values;
import dev.jv2p.sync.Key;
import java.util.Map;
import java.util.Objects;

/**
 * One write to one key, as an owner issued it: a {@link Kind#SET}, a {@link Kind#DELETE} or a
 * {@link Kind#DELTA}, stamped with its place in the merge order.
 *
 * <p>The value is {@linkplain Values#normalize normalized} into the value model on
 * construction. A {@code SET} of {@code null} is a {@code DELETE} (in p2p.today {@code del} is
 * {@code set(key, null)}); a {@code DELETE} has no value; a {@code DELTA} carries a map.
 * Two writes are equal when key, kind, stamp and value (by {@link Values#deepEquals}) are.
 */
public record Write(Key key, Kind kind, Object value, WriteStamp stamp) {
    /** What a write does; the declaration order is the tie-break between writes with one stamp. */
    public enum Kind {
        SET,
        DELETE,
        DELTA
    }

    /** Checks the write, turns a SET of null into a DELETE, and normalizes the value. */
    public Write {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(stamp, "stamp");
        if (kind == Kind.SET && value == null) {
            kind = Kind.DELETE;
        }
        if (kind == Kind.DELETE && value != null) {
            throw new IllegalArgumentException("a DELETE of " + key + " carries a value");
        }
        if (kind == Kind.DELTA && !(value instanceof Map<?, ?>)) {
            throw new IllegalArgumentException(
                    "a DELTA of " + key + " must carry a map, not " + Values.toString(value));
        }
        value = Values.normalize(value);
    }

    /** A write of {@code value} (a DELETE when it is null). */
    public static Write set(Key key, Object value, WriteStamp stamp) {
        return new Write(key, Kind.SET, value, stamp);
    }

    /** A delete: a set of null that holds the lease like any write. */
    public static Write delete(Key key, WriteStamp stamp) {
        return new Write(key, Kind.DELETE, null, stamp);
    }

    /** A delta: {@code entries} put over the map the key holds. */
    public static Write delta(Key key, Map<?, ?> entries, WriteStamp stamp) {
        return new Write(key, Kind.DELTA, entries, stamp);
    }

    /** The stamp's time, in seconds. */
    public long timestamp() {
        return stamp.timestamp();
    }

    /** The id of the node that made the write. */
    public String owner() {
        return stamp.owner();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Write w
                && key.equals(w.key)
                && kind == w.kind
                && stamp.equals(w.stamp)
                && Values.deepEquals(value, w.value);
    }

    @Override
    public int hashCode() {
        return Objects.hash(key, kind, stamp) * 31 + Values.deepHashCode(value);
    }

    @Override
    public String toString() {
        return kind + " " + key + " = " + Values.toString(value) + " @" + stamp;
    }
}
