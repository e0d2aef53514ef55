package dev.jv2p.sync.internal.persist;

import dev.jv2p.sync.Durability;
import dev.jv2p.sync.Key;
import dev.jv2p.sync.SyncException;
import dev.jv2p.sync.internal.KeyHistory;
import dev.jv2p.sync.internal.ProofJournal;
import dev.jv2p.sync.internal.StoreJournal;
import dev.jv2p.sync.internal.SyncStore;
import dev.jv2p.sync.internal.Write;
import dev.jv2p.sync.internal.WriteStamp;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

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
    /** Log bytes past which the node takes a snapshot. */
    public static final long DEFAULT_SNAPSHOT_BYTES = 64L << 20;

    static final Duration GROUP_COMMIT_INTERVAL = Duration.ofMillis(10);
    private static final int PENDING = 256 << 10;
    /** Waiting records past which they are written at once. */
    private static final int FLUSH_AT = 64 << 10;

    private final DataDirectory directory;
    private final WalFiles files;
    private final Durability mode;
    private final long snapshotBytes;
    private final Object forceLock = new Object();
    private final Buffer buffer = new Buffer();
    private final DataOutputStream out = new DataOutputStream(buffer);
    private final ByteBuffer frame = ByteBuffer.allocate(WalFormat.FRAME);
    /** Records encoded on the event loop and not yet written to the file ({@link #flush}). */
    private final ByteBuffer pending = ByteBuffer.allocateDirect(PENDING);

    private Runnable onPending = () -> {};

    private FileChannel segment;
    private long segmentNumber;
    private long segmentBytes;
    /** Records appended; on the event loop. */
    private long appended;
    /** Records written to the file, which the committer forces. */
    private volatile long written;

    private GroupCommit committer;
    private SyncStore store;
    private Consumer<ProofJournal> heldProofs = out -> {};
    private boolean closed;

    public WalEngine(DataDirectory directory, Durability mode, long snapshotBytes) {
        this.directory = directory;
        this.files = new WalFiles(directory.path());
        this.mode = mode;
        this.snapshotBytes = snapshotBytes;
    }

    /** {@inheritDoc} If it fails, the directory is released. */
    @Override
    public void load(SyncStore store, ProofJournal restoreInto, Consumer<ProofJournal> held) {
        this.heldProofs = held;
        try {
            openSegment(files.load(store, restoreInto));
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        this.store = store;
        store.journal(this);
        if (mode != Durability.OS) {
            GroupCommit.Log log = new GroupCommit.Log() {
                @Override
                public long appended() {
                    return written;
                }

                @Override
                public void force() throws IOException {
                    forceSegment();
                }
            };
            Duration interval = mode == Durability.GROUP_COMMIT ? GROUP_COMMIT_INTERVAL : null;
            committer = new GroupCommit(log, interval, "jv2p-wal " + directory.path());
        }
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
        void write(DataOutputStream out) throws IOException;
    }

    private void record(int type, long now, Content content) {
        if (closed) {
            throw new SyncException("the node's data directory " + directory.path() + " is closed");
        }
        buffer.reset();
        try {
            out.writeByte(type);
            out.writeLong(now);
            content.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array does not fail
        }
        append();
    }

    /**
     * Adds the encoded record to the records waiting for {@link #flush}; one larger than the
     * waiting room goes to the file at once.
     */
    private void append() {
        int size = buffer.size();
        ByteBuffer payload = ByteBuffer.wrap(buffer.array(), 0, size);
        int crc = WalFormat.crc(payload);
        if (pending.remaining() < WalFormat.FRAME + size) {
            flush();
        }
        appended++;
        if (pending.remaining() < WalFormat.FRAME + size) {
            frame.clear();
            frame.putInt(size).putInt(crc).flip();
            writeOut(frame, payload);
            written = appended;
            return;
        }
        boolean first = pending.position() == 0;
        pending.putInt(size).putInt(crc).put(payload);
        if (pending.position() >= FLUSH_AT) {
            flush();
        } else if (first) {
            onPending.run();
        }
    }

    /**
     * Writes the records waiting into the log file (the operating system's page cache); on the
     * event loop. A failed write (a full disk) is cut off again, so the log never holds a
     * partial record before a later one, and a clear error is thrown.
     */
    @Override
    public void flush() {
        if (pending.position() == 0) {
            return;
        }
        pending.flip();
        try {
            writeOut(pending);
        } finally {
            pending.clear();
        }
        written = appended;
    }

    private void writeOut(ByteBuffer... buffers) {
        long before = segmentBytes;
        long total = 0;
        for (ByteBuffer b : buffers) {
            total += b.remaining();
        }
        try {
            while (buffers[buffers.length - 1].hasRemaining()) {
                segment.write(buffers);
            }
        } catch (IOException e) {
            try {
                segment.truncate(before);
            } catch (IOException again) {
                e.addSuppressed(again);
            }
            throw new SyncException(
                    "cannot write to the log in " + directory.path() + " (" + e.getMessage()
                            + "; is the disk full?): the change is refused; reads go on, and peers' writes are fetched"
                            + " again by anti-entropy once it can be written",
                    e);
        }
        segmentBytes = before + total;
    }

    @Override
    public void onPending(Runnable flushSoon) {
        this.onPending = flushSoon;
    }

    // ---- segments and snapshots ------------------------------------------------------------

    @Override
    public boolean wantsSnapshot() {
        return !closed && segmentBytes >= snapshotBytes;
    }

    @Override
    public void snapshot(SyncStore store) {
        flush();
        long next = segmentNumber + 1;
        synchronized (forceLock) {
            try {
                segment.force(false);
                segment.close();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot close log segment " + files.segment(segmentNumber), e);
            }
            Snapshots.write(files.snapshot(next), store, heldProofs);
            files.syncDirectory();
            openSegment(next);
        }
        files.deleteBefore(next);
    }

    private void openSegment(long number) {
        Path file = files.segment(number);
        try {
            FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            ch.write(WalFormat.header(WalFormat.LOG_MAGIC));
            ch.force(true);
            files.syncDirectory();
            synchronized (forceLock) {
                segment = ch;
                segmentNumber = number;
                segmentBytes = WalFormat.HEADER;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create log segment " + file, e);
        }
    }

    private void forceSegment() throws IOException {
        synchronized (forceLock) {
            if (segment.isOpen()) {
                segment.force(false);
            }
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
            snapshot(store);
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
        if (store != null) {
            store.journal(null);
        }
        try {
            if (segment != null && segment.isOpen()) {
                flush();
            }
            synchronized (forceLock) {
                if (segment != null && segment.isOpen()) {
                    segment.force(false);
                    segment.close();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close log segment " + files.segment(segmentNumber), e);
        } finally {
            directory.close();
        }
    }

    /** A byte array stream whose array is read in place. */
    private static final class Buffer extends ByteArrayOutputStream {
        Buffer() {
            super(256);
        }

        byte[] array() {
            return buf;
        }
    }
}
