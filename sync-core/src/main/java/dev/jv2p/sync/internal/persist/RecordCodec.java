package dev.jv2p.sync.internal.persist;

import dev.jv2p.sync.Key;
import dev.jv2p.sync.internal.Entry;
import dev.jv2p.sync.internal.KeyHistory;
import dev.jv2p.sync.internal.ProofJournal;
import dev.jv2p.sync.internal.Write;
import dev.jv2p.sync.internal.WriteStamp;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The on-disk encoding of writes, histories and values (format version {@value
 * WalFormat#VERSION}). Each value is a one-byte tag and its content, as in the store's
 * canonical fingerprint, but maps keep their order (nothing here is hashed) and strings are
 * written as UTF-16 code units, so that every string, unpaired surrogates included, comes back
 * as it went in. Changing anything here is a new format version.
 */
final class RecordCodec {
    private static final int NULL = 0;
    private static final int FALSE = 1;
    private static final int TRUE = 2;
    private static final int INTEGER = 3;
    private static final int BIG_INTEGER = 4;
    private static final int FLOAT = 5;
    private static final int STRING = 6;
    private static final int BYTES = 7;
    private static final int LIST = 8;
    private static final int MAP = 9;
    /** Deeper than the value model allows ({@code Values}), so only a corrupt file reaches it. */
    private static final int MAX_DEPTH = 512;

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
        Key key = Key.of(readBytes(in));
        int kind = in.readUnsignedByte();
        if (kind >= Write.Kind.values().length) {
            throw new IOException("unknown kind of write " + kind);
        }
        WriteStamp stamp = readStamp(in);
        Write.Kind k = Write.Kind.values()[kind];
        return new Write(key, k, k == Write.Kind.DELETE ? null : readValue(in, 0), stamp);
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
            base = new Entry(key, readValue(in, 0), stamp);
        }
        int n = readCount(in);
        List<Write> writes = new ArrayList<>(Math.min(n, 1024));
        for (int i = 0; i < n; i++) {
            writes.add(readWrite(in));
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

    static void writeValue(DataOutput out, Object value) throws IOException {
        if (value == null) {
            out.writeByte(NULL);
        } else if (value instanceof Boolean b) {
            out.writeByte(b ? TRUE : FALSE);
        } else if (value instanceof Long l) {
            out.writeByte(INTEGER);
            out.writeLong(l);
        } else if (value instanceof BigInteger big) {
            out.writeByte(BIG_INTEGER);
            writeBytes(out, big.toByteArray());
        } else if (value instanceof Double d) {
            out.writeByte(FLOAT);
            out.writeLong(Double.doubleToRawLongBits(d));
        } else if (value instanceof String s) {
            out.writeByte(STRING);
            out.writeInt(s.length());
            out.writeChars(s);
        } else if (value instanceof byte[] bytes) {
            out.writeByte(BYTES);
            writeBytes(out, bytes);
        } else if (value instanceof List<?> list) {
            out.writeByte(LIST);
            out.writeInt(list.size());
            for (Object element : list) {
                writeValue(out, element);
            }
        } else if (value instanceof Map<?, ?> map) {
            out.writeByte(MAP);
            out.writeInt(map.size());
            for (Map.Entry<?, ?> e : map.entrySet()) {
                writeValue(out, e.getKey());
                writeValue(out, e.getValue());
            }
        } else {
            throw new IllegalArgumentException(
                    "not in the value model: " + value.getClass().getName());
        }
    }

    private static Object readValue(DataInput in, int depth) throws IOException {
        if (depth > MAX_DEPTH) {
            throw new IOException("values nested deeper than " + MAX_DEPTH);
        }
        int tag = in.readUnsignedByte();
        return switch (tag) {
            case NULL -> null;
            case FALSE -> Boolean.FALSE;
            case TRUE -> Boolean.TRUE;
            case INTEGER -> in.readLong();
            case BIG_INTEGER -> new BigInteger(readBytes(in));
            case FLOAT -> Double.longBitsToDouble(in.readLong());
            case STRING -> readString(in);
            case BYTES -> readBytes(in);
            case LIST -> {
                int n = readCount(in);
                List<Object> list = new ArrayList<>(Math.min(n, 1024));
                for (int i = 0; i < n; i++) {
                    list.add(readValue(in, depth + 1));
                }
                yield list;
            }
            case MAP -> {
                int n = readCount(in);
                Map<Object, Object> map = new LinkedHashMap<>();
                for (int i = 0; i < n; i++) {
                    map.put(readValue(in, depth + 1), readValue(in, depth + 1));
                }
                yield map;
            }
            default -> throw new IOException("unknown value tag " + tag);
        };
    }

    private static String readString(DataInput in) throws IOException {
        char[] chars = new char[readCount(in)];
        for (int i = 0; i < chars.length; i++) {
            chars[i] = in.readChar();
        }
        return new String(chars);
    }

    private static void writeBytes(DataOutput out, byte[] bytes) throws IOException {
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static byte[] readBytes(DataInput in) throws IOException {
        byte[] bytes = new byte[readCount(in)];
        in.readFully(bytes);
        return bytes;
    }

    /** A length, checked before anything of that size is allocated (the record's CRC passed, but a bug must not OOM). */
    private static int readCount(DataInput in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > WalFormat.MAX_RECORD) {
            throw new IOException("length " + n + " is out of range");
        }
        return n;
    }
}
