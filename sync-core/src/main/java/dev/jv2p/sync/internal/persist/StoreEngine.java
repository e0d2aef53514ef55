package dev.jv2p.sync.internal.persist;

import dev.jv2p.sync.internal.Entry;
import dev.jv2p.sync.internal.ProofJournal;
import dev.jv2p.sync.internal.SyncStore;
import java.util.List;
import java.util.function.Consumer;

/**
 * Where a node keeps its store between runs: what the node needs of a storage engine, so that
 * another engine can replace the write-ahead log ({@link WalEngine}). Called on the node's
 * event loop, except {@link #load}, called once before the node serves anyone.
 */
public interface StoreEngine extends AutoCloseable {
    /**
     * Fills the empty {@code store} with what was kept, and hands the owners' proofs kept to
     * {@code restoreInto}; then records each change of the store before the store makes it (it
     * becomes the store's journal). {@code held} hands the proofs the node holds to a snapshot.
     *
     * @return the store's live entries (tombstones left out) in key order, for the read view
     * @throws dev.jv2p.sync.SyncException if a file cannot be read, naming file and offset
     */
    List<Entry> load(SyncStore store, ProofJournal restoreInto, Consumer<ProofJournal> held);

    /** Where the node tells of each new owner's proof it keeps, once loaded. */
    ProofJournal proofJournal();

    /**
     * Runs {@code task} once every change {@linkplain #flush flushed} so far is as safe as the
     * durability mode promises: at once for group commit and {@code os} (a flushed change is
     * in the operating system's hands), after the disk confirmed it for {@code always}; on the
     * engine's own thread then.
     */
    void whenDurable(Runnable task);

    /**
     * Writes the changes recorded since the last time into the operating system's hands (a
     * crash of the process then loses none of them); the engine may keep them waiting until
     * then, and calls {@link #onPending}'s task when it starts to. After a failure it tries
     * again what failed.
     *
     * @throws LogUnwritableException if they cannot be written (a full disk): they stay waiting,
     *     and every change is refused with this error until a flush succeeds
     */
    void flush();

    /** Why every change is refused now ({@link #flush} failed), or {@code null}; from any thread. */
    LogUnwritableException unwritable();

    /** Sets what to run when changes start waiting for {@link #flush} (to schedule one soon). */
    void onPending(Runnable flushSoon);

    /** Whether {@link #whenDurable} waits for the disk (mode {@code always}). */
    boolean waitsForDisk();

    /**
     * Starts a fresh log and a snapshot of {@code store} as it is now; on the store's thread,
     * which waits only for a copy of the store, not for the snapshot to be written.
     */
    void snapshot(SyncStore store);

    /** Whether the log has grown enough since the last snapshot to take one, and none is being written. */
    boolean wantsSnapshot();

    /** Snapshots {@code store}, forces everything to disk and releases the directory. */
    void close(SyncStore store);

    /** Releases the directory without a snapshot (after a failure). */
    @Override
    void close();
}
