package dev.jv2p.sync.internal.persist;

import dev.jv2p.sync.Key;
import dev.jv2p.sync.internal.KeyHistory;
import dev.jv2p.sync.internal.ProofJournal;
import dev.jv2p.sync.internal.SyncStore;
import dev.jv2p.sync.internal.Write;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replays a log segment into a store. Only the end of the newest segment may be torn (a
 * record the process was writing when it stopped, never acknowledged): it is cut off with a
 * warning. Anything else that fails its checks stops the node with an error naming the file
 * and the offset.
 */
final class LogReplay {
    private static final Logger LOG = LoggerFactory.getLogger(LogReplay.class);

    private LogReplay() {}

    /**
     * Replays {@code file} into {@code store} and {@code proofs}; {@code newest} when it is the
     * last segment. The keys whose state a record may have changed are added to {@code changed}.
     *
     * @return the number of records replayed
     */
    static long replay(Path file, boolean newest, SyncStore store, ProofJournal proofs, Set<Key> changed) {
        ByteBuffer bytes;
        try {
            bytes = ByteBuffer.wrap(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        if (bytes.remaining() < WalFormat.HEADER) {
            if (newest) {
                truncate(file, 0, bytes.remaining(), "a header");
                return 0;
            }
            throw WalFormat.corrupt(file, 0, "the file is shorter than its header");
        }
        WalFormat.checkHeader(file, bytes.slice(0, WalFormat.HEADER), WalFormat.LOG_MAGIC);
        int pos = WalFormat.HEADER;
        long records = 0;
        int end = bytes.limit();
        while (pos < end) {
            String damage = damageAt(bytes, pos);
            if (damage != null) {
                if (newest && tornTail(bytes, pos)) {
                    truncate(file, pos, end - pos, "a record");
                    return records;
                }
                throw WalFormat.corrupt(file, pos, damage);
            }
            int length = bytes.getInt(pos);
            apply(file, pos, bytes.slice(pos + WalFormat.FRAME, length), store, proofs, changed);
            records++;
            pos += WalFormat.FRAME + length;
        }
        return records;
    }

    /** What is wrong with the record at {@code pos}, or null when its frame and checksum are sound. */
    private static String damageAt(ByteBuffer bytes, int pos) {
        int left = bytes.limit() - pos;
        if (left < WalFormat.FRAME) {
            return "a record frame is cut short (" + left + " bytes)";
        }
        int length = bytes.getInt(pos);
        if (length < 9 || length > WalFormat.MAX_RECORD) {
            return "a record claims a length of " + length + " bytes";
        }
        if (length > left - WalFormat.FRAME) {
            return "a record of " + length + " bytes runs past the end of the file";
        }
        if (WalFormat.crc(bytes.slice(pos + WalFormat.FRAME, length)) != bytes.getInt(pos + 4)) {
            return "a record's checksum does not match its content";
        }
        return null;
    }

    /**
     * Whether the damaged record at {@code pos} can be a write cut short by a crash: it reaches
     * the end of the file (or claims to go beyond it), or the rest of the file is zeros (space
     * a file system allocated but the crash did not let it fill).
     */
    private static boolean tornTail(ByteBuffer bytes, int pos) {
        int left = bytes.limit() - pos;
        if (left < WalFormat.FRAME) {
            return true;
        }
        int length = bytes.getInt(pos);
        if (length >= 9 && length <= WalFormat.MAX_RECORD && length >= left - WalFormat.FRAME) {
            // A damaged length can also point past the end: then sound records follow it.
            return !soundRecordAfter(bytes, pos);
        }
        for (int i = pos; i < bytes.limit(); i++) {
            if (bytes.get(i) != 0) {
                return false;
            }
        }
        return true;
    }

    /** Whether a whole record with a matching checksum starts within {@value #SCAN} bytes after {@code pos}. */
    private static boolean soundRecordAfter(ByteBuffer bytes, int pos) {
        int last = (int) Math.min(bytes.limit() - WalFormat.FRAME - 9L, (long) pos + SCAN);
        for (int at = pos + 1; at <= last; at++) {
            int length = bytes.getInt(at);
            if (length >= 9
                    && length <= bytes.limit() - at - WalFormat.FRAME
                    && WalFormat.crc(bytes.slice(at + WalFormat.FRAME, length)) == bytes.getInt(at + 4)) {
                return true;
            }
        }
        return false;
    }

    /** How far past a record that claims to run off the end a sound one is looked for. */
    private static final int SCAN = 1 << 20;

    private static void apply(
            Path file, int pos, ByteBuffer payload, SyncStore store, ProofJournal proofs, Set<Key> changed) {
        BufferInput in = BufferInput.of(payload);
        try {
            int type = in.readUnsignedByte();
            long now = in.readLong();
            switch (type) {
                case WalFormat.APPLY -> {
                    Write write = RecordCodec.readWrite(in);
                    changed.add(write.key());
                    store.apply(write, now);
                }
                case WalFormat.ADOPT -> {
                    KeyHistory history = RecordCodec.readHistory(in);
                    changed.add(history.key());
                    store.importHistory(history, now);
                }
                case WalFormat.COLLECT -> store.collectGarbage(now);
                case WalFormat.GRAVEYARD -> store.mergeGraveyard(RecordCodec.readLongs(in), now);
                case WalFormat.PROOF -> RecordCodec.readProof(in, proofs);
                case WalFormat.CHAIN -> RecordCodec.readChain(in, proofs);
                default -> throw new IOException("unknown record type " + type);
            }
            if (in.remaining() > 0) {
                throw new IOException(in.remaining() + " bytes after the record's content");
            }
        } catch (IOException | IllegalArgumentException e) {
            throw WalFormat.corrupt(
                    file, pos, "a record with a sound checksum cannot be read (" + e.getMessage() + ")");
        }
    }

    private static void truncate(Path file, long at, long bytes, String what) {
        LOG.warn(
                "{} cut short at the end of {} (offset {}, {} bytes) removed: the node stopped while writing it,"
                        + " before it was acknowledged",
                what,
                file,
                at,
                bytes);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            if (at == 0) {
                ch.truncate(0);
                ch.write(WalFormat.header(WalFormat.LOG_MAGIC));
            } else {
                ch.truncate(at);
            }
            ch.force(true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot cut the torn end off " + file, e);
        }
    }
}
