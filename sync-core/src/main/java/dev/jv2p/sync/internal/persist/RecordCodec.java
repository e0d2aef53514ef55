package dev.jv2p.sync.internal.persist;

import dev.jv2p.sync.Key;
import dev.jv2p.sync.internal.Entry;
import dev.jv2p.sync.internal.KeyHistory;
import dev.jv2p.sync.internal.KeyImage;
import dev.jv2p.sync.internal.ProofJournal;
import dev.jv2p.sync.internal.ValueCodec;
import dev.jv2p.sync.internal.Write;
import dev.jv2p.sync.internal.WriteStamp;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The on-disk encoding of writes, histories and proofs (format version {@value
 * WalFormat#VERSION}). Values are in {@link ValueCodec}'s form, maps in their own order (nothing
 * here is hashed), so every value, strings with unpaired surrogates included, comes back as it
 * went in; a string value of the characters U+0000 to U+00FF only (most text) takes one byte per
 * character instead, under a tag of its own ({@link #LATIN1}), which halves the log and the
 * snapshots and lets a restart copy each string's bytes at once. The writes of a history do not
 * repeat its key; a snapshot names the owners of stamps by number ({@link Owners}). Changing
 * anything here is a new format version.
 */
final class RecordCodec {
    /** A value tag beside {@link ValueCodec}'s: a string of one byte per character, ISO 8859-1. */
    private static final int LATIN1 = 0x40;

    /** {@code Kind.values()} copies the array at each call, twice per write read. */
    private static final Write.Kind[] KINDS = Write.Kind.values();

    private RecordCodec() {}

    static void writeWrite(DataOutput out, Write w) throws IOException {
        writeBytes(out, w.key().bytes());
        writeWriteOf(out, w, Owners.INLINE);
    }

    static Write readWrite(DataInput in) throws IOException {
        return readWriteOf(in, Key.of(readBytes(in)), Owners.INLINE);
    }

    /** A write of a history, whose key is the history's: kind, stamp, value. */
    private static void writeWriteOf(DataOutput out, Write w, Owners owners) throws IOException {
        out.writeByte(w.kind().ordinal());
        writeStamp(out, w.stamp(), owners);
        if (w.kind() != Write.Kind.DELETE) {
            writeValue(out, w.value());
        }
    }

    private static Write readWriteOf(DataInput in, Key key, Owners owners) throws IOException {
        int kind = in.readUnsignedByte();
        if (kind >= KINDS.length) {
            throw new IOException("unknown kind of write " + kind);
        }
        WriteStamp stamp = readStamp(in, owners);
        Write.Kind k = KINDS[kind];
        return new Write(key, k, k == Write.Kind.DELETE ? null : readValue(in), stamp);
    }

    static void writeHistory(DataOutput out, KeyHistory h) throws IOException {
        writeHistory(out, h, Owners.INLINE);
    }

    static KeyHistory readHistory(DataInput in) throws IOException {
        return readHistory(in, Owners.INLINE);
    }

    /** A key of a snapshot: its hashes, then its history, the stamps' owners by number in {@code owners}. */
    static void writeImage(DataOutput out, KeyImage image, Owners owners) throws IOException {
        out.writeLong(image.keyHash());
        out.writeLong(image.entryHashHigh());
        out.writeLong(image.entryHashLow());
        writeHistory(out, image.key(), image.horizon(), image.base(), image.writes(), owners);
    }

    static KeyImage readImage(DataInput in, Owners owners) throws IOException {
        long keyHash = in.readLong();
        long high = in.readLong();
        long low = in.readLong();
        Key key = Key.of(readBytes(in));
        long horizon = in.readLong();
        Entry base = readBase(in, key, owners);
        return new KeyImage(key, horizon, base, readWrites(in, key, owners), keyHash, high, low);
    }

    private static void writeHistory(DataOutput out, KeyHistory h, Owners owners) throws IOException {
        writeHistory(out, h.key(), h.horizon(), h.base(), h.writes(), owners);
    }

    private static void writeHistory(
            DataOutput out, Key key, long horizon, Entry base, List<Write> writes, Owners owners) throws IOException {
        writeBytes(out, key.bytes());
        out.writeLong(horizon);
        out.writeBoolean(base != null);
        if (base != null) {
            writeStamp(out, base.stamp(), owners);
            writeValue(out, base.value());
        }
        out.writeInt(writes.size());
        for (Write w : writes) {
            writeWriteOf(out, w, owners);
        }
    }

    private static KeyHistory readHistory(DataInput in, Owners owners) throws IOException {
        Key key = Key.of(readBytes(in));
        long horizon = in.readLong();
        Entry base = readBase(in, key, owners);
        return new KeyHistory(key, horizon, base, readWrites(in, key, owners));
    }

    private static Entry readBase(DataInput in, Key key, Owners owners) throws IOException {
        if (!in.readBoolean()) {
            return null;
        }
        WriteStamp stamp = readStamp(in, owners);
        return new Entry(key, readValue(in), stamp);
    }

    private static List<Write> readWrites(DataInput in, Key key, Owners owners) throws IOException {
        int n = readCount(in);
        if (n == 1) { // most keys
            return List.of(readWriteOf(in, key, owners));
        }
        List<Write> writes = new ArrayList<>(Math.min(n, 1024));
        for (int i = 0; i < n; i++) {
            writes.add(readWriteOf(in, key, owners));
        }
        return writes;
    }

    static void writeLongs(DataOutput out, long[] values) throws IOException {
        out.writeInt(values.length);
        for (long v : values) {
            out.writeLong(v);
        }
    }

    static long[] readLongs(DataInput in) throws IOException {
        long[] values = new long[readCount(in)];
        for (int i = 0; i < values.length; i++) {
            values[i] = in.readLong();
        }
        return values;
    }

    /** A proof as {@link ProofJournal#proven} gives it. */
    static void writeProof(DataOutput out, Key key, WriteStamp stamp, Write.Kind kind, byte[] leaf, byte[] proof)
            throws IOException {
        writeBytes(out, key.bytes());
        writeStamp(out, stamp);
        out.writeByte(kind.ordinal());
        writeBytes(out, leaf);
        writeBytes(out, proof);
    }

    static void readProof(DataInput in, ProofJournal into) throws IOException {
        Key key = Key.of(readBytes(in));
        WriteStamp stamp = readStamp(in);
        int kind = in.readUnsignedByte();
        if (kind >= KINDS.length) {
            throw new IOException("unknown kind of write " + kind);
        }
        into.proven(key, stamp, KINDS[kind], readBytes(in), readBytes(in));
    }

    /** A chain as {@link ProofJournal#chained} gives it. */
    static void writeChain(DataOutput out, Key key, WriteStamp baseStamp, List<Write> writes, List<byte[]> proofs)
            throws IOException {
        writeBytes(out, key.bytes());
        writeStamp(out, baseStamp);
        out.writeInt(writes.size());
        for (int i = 0; i < writes.size(); i++) {
            writeWrite(out, writes.get(i));
            writeBytes(out, proofs.get(i));
        }
    }

    static void readChain(DataInput in, ProofJournal into) throws IOException {
        Key key = Key.of(readBytes(in));
        WriteStamp baseStamp = readStamp(in);
        int n = readCount(in);
        List<Write> writes = new ArrayList<>(Math.min(n, 1024));
        List<byte[]> proofs = new ArrayList<>(Math.min(n, 1024));
        for (int i = 0; i < n; i++) {
            writes.add(readWrite(in));
            proofs.add(readBytes(in));
        }
        into.chained(key, baseStamp, writes, proofs);
    }

    private static void writeStamp(DataOutput out, WriteStamp s) throws IOException {
        writeStamp(out, s, Owners.INLINE);
    }

    private static void writeStamp(DataOutput out, WriteStamp s, Owners owners) throws IOException {
        out.writeLong(s.timestamp());
        owners.write(out, s.owner());
        out.writeLong(s.seq());
    }

    private static WriteStamp readStamp(DataInput in) throws IOException {
        return readStamp(in, Owners.INLINE);
    }

    private static WriteStamp readStamp(DataInput in, Owners owners) throws IOException {
        long timestamp = in.readLong();
        String owner = owners.read(in);
        return WriteStamp.shared(timestamp, owner, in.readLong()); // a bulk write's keys share one
    }

    private static void writeValue(DataOutput out, Object value) throws IOException {
        if (value instanceof String s && out instanceof BufferOutput b && b.writeLatin1(LATIN1, s)) {
            return;
        }
        if (value instanceof String s && isLatin1(s)) {
            out.writeByte(LATIN1);
            out.writeInt(s.length());
            out.writeBytes(s); // the low byte of each character
        } else {
            ValueCodec.write(out, value, false);
        }
    }

    private static boolean isLatin1(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) > 0xff) {
                return false;
            }
        }
        return true;
    }

    private static Object readValue(DataInput in) throws IOException {
        int tag = in.readUnsignedByte();
        if (tag != LATIN1) {
            return ValueCodec.readAfterTag(in, tag, WalFormat.MAX_RECORD);
        }
        int n = readCount(in);
        if (in instanceof BufferInput b) {
            return b.readLatin1(n);
        }
        byte[] bytes = new byte[n];
        in.readFully(bytes);
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    private static void writeBytes(DataOutput out, byte[] bytes) throws IOException {
        ValueCodec.writeBytes(out, bytes);
    }

    private static byte[] readBytes(DataInput in) throws IOException {
        return ValueCodec.readBytes(in, WalFormat.MAX_RECORD);
    }

    private static int readCount(DataInput in) throws IOException {
        return ValueCodec.count(in, WalFormat.MAX_RECORD);
    }
}
