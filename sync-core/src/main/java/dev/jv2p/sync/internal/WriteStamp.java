package dev.jv2p.sync.internal;

import dev.jv2p.sync.MetaTuple;
import java.util.Comparator;
import java.util.Objects;

/**
 * The position of a write in the total order every jv2p node merges by: {@code timestamp}
 * first, then {@code owner} ({@link String#compareTo}, the comparison p2p.today's same-second
 * rule uses), then the owner's own {@code seq}.
 *
 * <p>{@code timestamp} is whole seconds, as on the p2p.today wire. {@code seq} orders the
 * writes one jv2p owner makes to one key within one second (0 for the first, then 1, 2 ...,
 * see {@link SyncStore#checkLocalWrite}); writes from js2p carry no sequence number and get 0.
 * Immutable.
 */
public record WriteStamp(long timestamp, String owner, long seq) implements Comparable<WriteStamp> {
    /** js2p decodes every number to a double, so larger times cannot round-trip (spec §15.26). */
    public static final long MAX_TIMESTAMP = (1L << 53) - 1;

    private static final Comparator<WriteStamp> ORDER = Comparator.comparingLong(WriteStamp::timestamp)
            .thenComparing(WriteStamp::owner)
            .thenComparingLong(WriteStamp::seq);

    /** Checks the owner, the timestamp range and that the sequence number is not negative. */
    public WriteStamp {
        Objects.requireNonNull(owner, "owner");
        if (timestamp < 0 || timestamp > MAX_TIMESTAMP) {
            throw new IllegalArgumentException("timestamp " + timestamp + " is outside 0.." + MAX_TIMESTAMP);
        }
        if (seq < 0) {
            throw new IllegalArgumentException("seq " + seq + " is negative");
        }
    }

    /**
     * The stamp last made by {@link #shared}. Racy on purpose: a thread may see an older stamp
     * or miss a newer one, and then makes its own; a record's fields are final, so whatever it
     * sees is whole.
     */
    private static WriteStamp lastShared = new WriteStamp(0, "", 0);

    /**
     * A stamp equal to {@code new WriteStamp(timestamp, owner, seq)}, the very object of the
     * previous call when that was equal: the writes one owner makes in one second (a bulk write,
     * a join transfer) then hold one stamp, and one owner string, instead of one each.
     */
    public static WriteStamp shared(long timestamp, String owner, long seq) {
        WriteStamp last = lastShared;
        if (last.timestamp == timestamp && last.seq == seq && last.owner.equals(owner)) {
            return last;
        }
        WriteStamp made = new WriteStamp(timestamp, owner, seq);
        lastShared = made;
        return made;
    }

    /** The stamp of a write from a node that sends no sequence number (js2p). */
    public static WriteStamp of(long timestamp, String owner) {
        return new WriteStamp(timestamp, owner, 0);
    }

    /** The p2p.today metadata of this stamp; the sequence number has no place there. */
    public MetaTuple meta() {
        return new MetaTuple(owner, timestamp);
    }

    @Override
    public int compareTo(WriteStamp other) {
        return ORDER.compare(this, other);
    }
}
