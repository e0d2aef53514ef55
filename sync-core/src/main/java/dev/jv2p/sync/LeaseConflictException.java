package dev.jv2p.sync;

import java.util.Objects;

/**
 * A local write was refused because another owner holds the key (p2p.today's "You don't have
 * permission to change this yet"). Thrown before anything is sent, so no peer ever sees the
 * refused write.
 *
 * <p>{@link #holder()} wrote the value that blocks the write at {@link #leaseTimestamp()};
 * a write stamped {@link #writableAt()} or later by another owner passes the lease rule
 * (with leasing on that is one lease duration after the holder's write; without leasing it is
 * the next second, since a same-second write by a larger owner id loses).
 */
public final class LeaseConflictException extends SyncException {
    private static final long serialVersionUID = 1L;

    private final transient Key key;
    private final String holder;
    private final long leaseTimestamp;
    private final long writableAt;

    /**
     * A refused write of {@code key} by {@code writer}: {@code holder} wrote it at
     * {@code leaseTimestamp} and holds it until {@code writableAt} (epoch seconds).
     */
    public LeaseConflictException(Key key, String writer, String holder, long leaseTimestamp, long writableAt) {
        super("key " + key + " is held by " + holder + " (written at " + leaseTimestamp + " s); " + writer
                + " may change it from " + writableAt + " s on");
        this.key = Objects.requireNonNull(key, "key");
        this.holder = Objects.requireNonNull(holder, "holder");
        this.leaseTimestamp = leaseTimestamp;
        this.writableAt = writableAt;
    }

    /** The key that could not be written. */
    public Key key() {
        return key;
    }

    /** The owner whose write holds the key. */
    public String holder() {
        return holder;
    }

    /** The timestamp (seconds) of the holder's write. */
    public long leaseTimestamp() {
        return leaseTimestamp;
    }

    /** The first second at which a write by another owner is accepted. */
    public long writableAt() {
        return writableAt;
    }
}
