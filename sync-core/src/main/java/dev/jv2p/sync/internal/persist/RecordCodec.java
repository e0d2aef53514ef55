package dev.jv2p.sync.internal.persist;

import dev.jv2p.sync.Key;
import dev.jv2p.sync.internal.Entry;
import dev.jv2p.sync.internal.KeyHistory;
import dev.jv2p.sync.internal.ProofJournal;
import dev.jv2p.sync.internal.ValueCodec;
import dev.jv2p.sync.internal.Write;
import dev.jv2p.sync.internal.WriteStamp;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The on-disk encoding of writes, histories and proofs (format version {@value
 * WalFormat#VERSION}). Values are in {@link ValueCodec}'s form, maps in their own order (nothing
 * here is hashed), so every value, strings with unpaired surrogates included, comes back as it
 * went in. Changing anything here is a new format version.
 */
final class RecordCodec {
    private RecordCodec() {}

    static void writeWrite(DataOutput out, Write w) throws IOException {
        writeBytes(out, w.key().bytes());
        out.writeByte(w.kind().ordinal());
        writeStamp(out, w.stamp());
        if (w.kind() != Write.Kind.DELETE) {
            writeValue(out, w.value());
        }
    }

    static Write readWrite(DataInput in) throws IOException {
        return readWrite(in, null);
    }

    /**
     * A write whose key, when it equals {@code known} (the key of the history it is read in), is
     * {@code known} itself: a million keys restored then take one key object each, not two.
     */
    private static Write readWrite(DataInput in, Key known) throws IOException {
        byte[] bytes = readBytes(in);
        Key key = known != null && known.length() == bytes.length && Arrays.equals(known.bytes(), bytes)
                ? known
                : Key.of(bytes);
        int kind = in.readUnsignedByte();
        if (kind >= Write.Kind.values().length) {
            throw new IOException("unknown kind of write " + kind);
        }
        WriteStamp stamp = readStamp(in);
        Write.Kind k = Write.Kind.values()[kind];
        return new Write(key, k, k == Write.Kind.DELETE ? null : readValue(in), stamp);
    }

    static void writeHistory(DataOutput out, KeyHistory h) throws IOException {
        writeBytes(out, h.key().bytes());
        out.writeLong(h.horizon());
        out.writeBoolean(h.base() != null);
        if (h.base() != null) {
            writeStamp(out, h.base().stamp());
            writeValue(out, h.base().value());
        }
        out.writeInt(h.writes().size());
        for (Write w : h.writes()) {
            writeWrite(out, w);
        }
    }

    static KeyHistory readHistory(DataInput in) throws IOException {
        Key key = Key.of(readBytes(in));
        long horizon = in.readLong();
        Entry base = null;
        if (in.readBoolean()) {
            WriteStamp stamp = readStamp(in);
            base = new Entry(key, readValue(in), stamp);
        }
        int n = readCount(in);
        List<Write> writes = new ArrayList<>(Math.min(n, 1024));
        for (int i = 0; i < n; i++) {
            writes.add(readWrite(in, key));
        }
        return new KeyHistory(key, horizon, base, writes);
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
        if (kind >= Write.Kind.values().length) {
            throw new IOException("unknown kind of write " + kind);
        }
        into.proven(key, stamp, Write.Kind.values()[kind], readBytes(in), readBytes(in));
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
        out.writeLong(s.timestamp());
        out.writeUTF(s.owner());
        out.writeLong(s.seq());
    }

    private static WriteStamp readStamp(DataInput in) throws IOException {
        long timestamp = in.readLong();
        String owner = in.readUTF();
        return new WriteStamp(timestamp, owner, in.readLong());
    }

    private static void writeValue(DataOutput out, Object value) throws IOException {
        ValueCodec.write(out, value, false);
    }

    private static Object readValue(DataInput in) throws IOException {
        return ValueCodec.read(in, WalFormat.MAX_RECORD);
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
