package dev.jv2p.sync.internal;

/**
 * Told of every change of a {@link SyncStore} before the store makes it, with the time the
 * store is given, so that replaying the calls in order on a store restored from the same
 * snapshot rebuilds exactly the same state: what a durable store records. Called on the
 * store's thread; an exception thrown here stops the change (a local write then fails).
 */
public interface StoreJournal {
    /** Records nothing. */
    StoreJournal NONE = new StoreJournal() {};

    /** {@link SyncStore#apply} of {@code write} at {@code now}. */
    default void applying(Write write, long now) {}

    /** {@link SyncStore#importHistory} takes a peer's compacted base ({@code history} has no writes). */
    default void adopting(KeyHistory history, long now) {}

    /** {@link SyncStore#collectGarbage} at {@code now}. */
    default void collecting(long now) {}

    /** {@link SyncStore#mergeGraveyard} of {@code watermarks} at {@code now}. */
    default void mergingGraveyard(long[] watermarks, long now) {}
}
