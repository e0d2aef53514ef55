package dev.jv2p.sync.internal.persist;

import dev.jv2p.sync.Durability;
import dev.jv2p.sync.Key;
import dev.jv2p.sync.SyncException;
import dev.jv2p.sync.internal.Entry;
import dev.jv2p.sync.internal.KeyHistory;
import dev.jv2p.sync.internal.ProofJournal;
import dev.jv2p.sync.internal.StoreJournal;
import dev.jv2p.sync.internal.SyncStore;
import dev.jv2p.sync.internal.Write;
import dev.jv2p.sync.internal.WriteStamp;
import java.io.DataOutput;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The write-ahead log engine: every change of the store is encoded, as one checksummed
 * record, before the store makes it; the records of a burst wait in a buffer and go to the
 * current log segment together ({@link #flush}, on the node's event loop, before any of their
 * writes is acknowledged: a write into the operating system's page cache, which a crash of the
 * process does not lose). Forcing to disk runs on {@link GroupCommit}'s thread. A snapshot of
 * the whole store starts a new segment and lets the older ones go, so the log stays short.
 * Files and their format: {@link WalFormat}; which files make the state: {@link WalFiles}.
 */
public final class WalEngine implements StoreEngine, StoreJournal, ProofJournal {
    private static final Logger LOG = LoggerFactory.getLogger(WalEngine.class);

    /** Log bytes past which the node takes a snapshot. */
    public static final long DEFAULT_SNAPSHOT_BYTES = 64L << 20;

    static final Duration GROUP_COMMIT_INTERVAL = Duration.ofMillis(10);

    private final DataDirectory directory;
    private final WalFiles files;
    private final Durability mode;
    private final long snapshotBytes;
    private final BufferOutput out = new BufferOutput();
    private final LogAppender log;

    private GroupCommit committer;
    private SyncStore store;
    private Consumer<ProofJournal> heldProofs = out -> {};
    private boolean closed;
    /**
     * The size of the newest snapshot: the log grows at least that much before the next one, so
     * snapshots of a large store cost at most as many bytes as the log they replace.
     */
    private volatile long lastSnapshotBytes;
    /** The snapshot being written, if any. */
    private CompletableFuture<Void> snapshotting = CompletableFuture.completedFuture(null);

    public WalEngine(DataDirectory directory, Durability mode, long snapshotBytes) {
        this.directory = directory;
        this.files = new WalFiles(directory.path());
        this.mode = mode;
        this.snapshotBytes = snapshotBytes;
        this.log = new LogAppender(directory.path());
    }

    /** {@inheritDoc} If it fails, the directory is released. */
    @Override
    public List<Entry> load(SyncStore store, ProofJournal restoreInto, Consumer<ProofJournal> held) {
        this.heldProofs = held;
        WalFiles.Loaded loaded;
        try {
            loaded = files.load(store, restoreInto);
            lastSnapshotBytes = loaded.snapshotBytes();
            openSegment(loaded.nextSegment());
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        this.store = store;
        store.journal(this);
        if (mode != Durability.OS) {
            GroupCommit.Log forced = new GroupCommit.Log() {
                @Override
                public long appended() {
                    return log.written();
                }

                @Override
                public void force() throws IOException {
                    log.force();
                }
            };
            Duration interval = mode == Durability.GROUP_COMMIT ? GROUP_COMMIT_INTERVAL : null;
            committer = new GroupCommit(forced, interval, "jv2p-wal " + directory.path());
        }
        return loaded.live();
    }

    @Override
    public ProofJournal proofJournal() {
        return this;
    }

    @Override
    public void whenDurable(Runnable task) {
        if (mode == Durability.ALWAYS && !closed) { // closing forced everything written
            committer.whenForced(task);
        } else {
            task.run();
        }
    }

    @Override
    public boolean waitsForDisk() {
        return mode == Durability.ALWAYS;
    }

    // ---- the journal: one record per change, before the store makes it ------------------------

    @Override
    public void applying(Write write, long now) {
        record(WalFormat.APPLY, now, out -> RecordCodec.writeWrite(out, write));
    }

    @Override
    public void adopting(KeyHistory history, long now) {
        record(WalFormat.ADOPT, now, out -> RecordCodec.writeHistory(out, history));
    }

    @Override
    public void collecting(long now) {
        record(WalFormat.COLLECT, now, out -> {});
    }

    @Override
    public void mergingGraveyard(long[] watermarks, long now) {
        record(WalFormat.GRAVEYARD, now, out -> RecordCodec.writeLongs(out, watermarks));
    }

    @Override
    public void proven(Key key, WriteStamp stamp, Write.Kind kind, byte[] leaf, byte[] proof) {
        record(WalFormat.PROOF, stamp.timestamp(), out -> RecordCodec.writeProof(out, key, stamp, kind, leaf, proof));
    }

    @Override
    public void chained(Key key, WriteStamp baseStamp, List<Write> writes, List<byte[]> proofs) {
        record(
                WalFormat.CHAIN,
                baseStamp.timestamp(),
                out -> RecordCodec.writeChain(out, key, baseStamp, writes, proofs));
    }

    /** What a record holds after its type and time. */
    private interface Content {
        void write(DataOutput out) throws IOException;
    }

    private void record(int type, long now, Content content) {
        if (closed) {
            throw new SyncException("the node's data directory " + directory.path() + " is closed");
        }
        out.reset();
        try {
            out.writeByte(type);
            out.writeLong(now);
            content.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array does not fail
        }
        log.append(out.array(), out.size());
    }

    /** {@inheritDoc} On the event loop; see {@link LogAppender#flush}. */
    @Override
    public void flush() {
        log.flush();
    }

    @Override
    public LogUnwritableException unwritable() {
        return log.unwritable();
    }

    @Override
    public void onPending(Runnable flushSoon) {
        log.onPending(flushSoon);
    }

    // ---- segments and snapshots ------------------------------------------------------------

    @Override
    public boolean wantsSnapshot() {
        return !closed && snapshotting.isDone() && log.segmentBytes() >= Math.max(snapshotBytes, lastSnapshotBytes);
    }

    /**
     * {@inheritDoc} On the store's thread it starts the next segment and copies the store's
     * histories; a thread of its own encodes and writes them, so the node's event loop handles
     * messages while a snapshot of a large store is written. The next segment is created first:
     * until the snapshot is in place (and if it cannot be written, a full disk say) the older
     * snapshot and every segment after it make the same state. A failed snapshot is logged.
     *
     * @throws SyncException if the new segment cannot be created (nothing changed then)
     */
    @Override
    public void snapshot(SyncStore store) {
        Runnable write = startSnapshot(store);
        snapshotting = CompletableFuture.runAsync(
                () -> {
                    try {
                        write.run();
                    } catch (RuntimeException e) {
                        LOG.warn(
                                "cannot take a snapshot; the node starts from the older one and the log: {}",
                                e.getMessage());
                    }
                },
                task -> {
                    Thread t = new Thread(task, "jv2p-snapshot " + directory.path());
                    t.setDaemon(true);
                    t.start();
                });
    }

    /** Whether a snapshot is being written (for tests). */
    boolean isSnapshotting() {
        return !snapshotting.isDone();
    }

    /** Starts the next segment and copies the store; returns what writes the snapshot. */
    private Runnable startSnapshot(SyncStore store) {
        flush();
        long next = log.segmentNumber() + 1;
        FileChannel fresh = createSegment(next);
        try {
            log.switchTo(fresh, next);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close log segment " + files.segment(next - 1), e);
        }
        Snapshots.State state = Snapshots.capture(store, heldProofs);
        return () -> {
            Snapshots.write(files.snapshot(next), state);
            lastSnapshotBytes = WalFiles.sizeOf(files.snapshot(next));
            files.syncDirectory();
            files.deleteBefore(next);
        };
    }

    private void openSegment(long number) {
        try {
            log.switchTo(createSegment(number), number);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // there was no segment before
        }
    }

    /** A new, empty log segment, its header and directory entry on disk; nothing is left if that fails. */
    private FileChannel createSegment(long number) {
        Path file = files.segment(number);
        FileChannel ch = null;
        try {
            ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            ch.write(WalFormat.header(WalFormat.LOG_MAGIC));
            ch.force(true);
            files.syncDirectory();
            return ch;
        } catch (IOException e) {
            try {
                if (ch != null) {
                    ch.close();
                    Files.deleteIfExists(file);
                }
            } catch (IOException again) {
                e.addSuppressed(again);
            }
            throw new SyncException("cannot create log segment " + file + " (" + e.getMessage() + ")", e);
        }
    }

    @Override
    public void close(SyncStore store) {
        if (closed) {
            return;
        }
        try {
            if (committer != null) {
                committer.stop();
            }
            snapshotting.join();
            startSnapshot(store).run();
        } catch (RuntimeException e) { // the log holds everything the snapshot would
            LOG.warn("no snapshot taken as the node closed; it starts from the log: {}", e.getMessage());
        } finally {
            close();
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (committer != null) {
            committer.stop();
        }
        snapshotting.join(); // it never fails: it logs
        if (store != null) {
            store.journal(null);
        }
        try {
            log.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close log segment " + files.segment(log.segmentNumber()), e);
        } finally {
            directory.close();
        }
    }
}
