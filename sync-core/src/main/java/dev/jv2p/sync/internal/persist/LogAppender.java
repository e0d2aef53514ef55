package dev.jv2p.sync.internal.persist;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the log's records go: the current segment, and the records of a burst waiting in a
 * buffer to be written together ({@link #flush}, on the event loop). A write that fails (a full
 * disk) is cut off the segment again, its records stay waiting, and every new record is refused
 * ({@link #unwritable}) until a flush succeeds: a change is made only once its record can be
 * written, and the records of changes already made are never dropped while the node runs.
 * Forcing ({@link #force}) runs on the group-commit thread.
 */
final class LogAppender {
    private static final Logger LOG = LoggerFactory.getLogger(LogAppender.class);
    private static final int PENDING = 256 << 10;
    /** Waiting records past which they are written at once. */
    private static final int FLUSH_AT = 64 << 10;

    private final Path dir;
    private final Object forceLock = new Object();
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
    /** Why records are refused, while the log cannot be written; written on the event loop. */
    private volatile LogUnwritableException unwritable;

    LogAppender(Path dir) {
        this.dir = dir;
    }

    long segmentNumber() {
        return segmentNumber;
    }

    long segmentBytes() {
        return segmentBytes;
    }

    /** Records written to the file so far; from any thread. */
    long written() {
        return written;
    }

    LogUnwritableException unwritable() {
        return unwritable;
    }

    void onPending(Runnable flushSoon) {
        this.onPending = flushSoon;
    }

    /**
     * Adds a record ({@code size} bytes of {@code payload}) to those waiting for {@link #flush};
     * one larger than the waiting room goes to the file at once.
     *
     * @throws LogUnwritableException while the log cannot be written: the change must not be made
     */
    void append(byte[] payload, int size) {
        LogUnwritableException failure = unwritable;
        if (failure != null) {
            throw failure.again();
        }
        ByteBuffer record = ByteBuffer.wrap(payload, 0, size);
        int crc = WalFormat.crc(record);
        if (pending.remaining() < WalFormat.FRAME + size) {
            flush();
        }
        if (pending.remaining() < WalFormat.FRAME + size) {
            frame.clear();
            frame.putInt(size).putInt(crc).flip();
            writeOut(frame, record);
            written = ++appended;
            return;
        }
        appended++;
        boolean first = pending.position() == 0;
        pending.putInt(size).putInt(crc).put(record);
        if (pending.position() >= FLUSH_AT) {
            flush();
        } else if (first) {
            onPending.run();
        }
    }

    /**
     * Writes the records waiting into the segment (the operating system's page cache); on the
     * event loop. After a failure it tries them again, and takes new records once they are written.
     *
     * @throws LogUnwritableException if they cannot be written; they stay waiting
     */
    void flush() {
        int end = pending.position();
        if (end > 0) {
            pending.flip();
            try {
                writeOut(pending);
            } catch (LogUnwritableException e) {
                pending.limit(pending.capacity()).position(end); // kept for the next try
                throw e;
            }
            pending.clear();
            written = appended;
        }
        if (unwritable != null) {
            unwritable = null;
            LOG.info("the log in {} can be written again: changes are taken again", dir);
        }
    }

    /** Bytes of records waiting to be written. */
    int pendingBytes() {
        return pending.position();
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
            for (ByteBuffer b : buffers) {
                b.rewind();
            }
            throw refuseRecords(e, before);
        }
        segmentBytes = before + total;
    }

    /** Cuts a failed write off the segment and refuses every record until the log can be written. */
    private LogUnwritableException refuseRecords(IOException e, long before) {
        try {
            segment.truncate(before);
            segment.position(before);
        } catch (IOException again) {
            e.addSuppressed(again);
        }
        LogUnwritableException failure = new LogUnwritableException(
                "cannot write the log in " + dir + " (" + e.getMessage() + "; is the disk full?): changes are"
                        + " refused until it can be written; reads go on, and peers' writes are fetched again by"
                        + " anti-entropy then",
                e);
        if (unwritable == null) {
            LOG.error("{}; the node tries again every second", failure.getMessage());
        }
        unwritable = failure;
        return failure;
    }

    /** Makes {@code fresh} (a new segment holding only its header) the segment written; forces and closes the last. */
    void switchTo(FileChannel fresh, long number) throws IOException {
        synchronized (forceLock) {
            try (FileChannel previous = segment) {
                if (previous != null) {
                    previous.force(false);
                }
            } finally {
                segment = fresh;
                segmentNumber = number;
                segmentBytes = WalFormat.HEADER;
            }
        }
    }

    /** Forces what was written to disk; on the group-commit thread. */
    void force() throws IOException {
        synchronized (forceLock) {
            if (segment != null && segment.isOpen()) {
                segment.force(false);
            }
        }
    }

    /** Writes what waits (logging what cannot be), forces and closes the segment. */
    void close() throws IOException {
        if (segment == null || !segment.isOpen()) {
            return;
        }
        try {
            flush();
        } catch (LogUnwritableException e) {
            LOG.error(
                    "{} bytes of log records could not be written before the node closed (their writes were not"
                            + " acknowledged; peers' writes among them are fetched again): {}",
                    pendingBytes(),
                    e.getMessage());
        }
        synchronized (forceLock) {
            segment.force(false);
            segment.close();
        }
    }
}
