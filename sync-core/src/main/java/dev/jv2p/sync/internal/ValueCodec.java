package dev.jv2p.sync.internal;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The byte form of a value of the value model: a one-byte tag followed by fixed-width or
 * length-prefixed content, which makes it prefix-free. Strings are written as UTF-16 code units
 * (UTF-8 would fold distinct unpaired surrogates together), doubles by
 * {@link Double#doubleToLongBits} (NaNs folded, as {@code Double.equals} does). Two users:
 * {@link Canonical} writes map entries sorted by the bytes of their keys, so equal values get
 * equal bytes (digests and signatures depend on them: never change that form); a durable store
 * writes maps in their own order and reads values back ({@link #read}).
 */
public final class ValueCodec {
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
    /** Deeper than the value model allows, so only damaged input reaches it. */
    private static final int MAX_DEPTH = 512;

    private ValueCodec() {}

    /** Writes {@code value}; with {@code sorted}, map entries in the order of their keys' bytes. */
    public static void write(DataOutput out, Object value, boolean sorted) throws IOException {
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
            out.writeLong(Double.doubleToLongBits(d));
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
                write(out, element, sorted);
            }
        } else if (value instanceof Map<?, ?> map) {
            writeMap(out, map, sorted);
        } else {
            throw new IllegalArgumentException(
                    "not in the value model: " + value.getClass().getName());
        }
    }

    private static void writeMap(DataOutput out, Map<?, ?> map, boolean sorted) throws IOException {
        out.writeByte(MAP);
        out.writeInt(map.size());
        if (!sorted) {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                write(out, e.getKey(), false);
                write(out, e.getValue(), false);
            }
            return;
        }
        List<byte[][]> entries = new ArrayList<>(map.size());
        for (Map.Entry<?, ?> e : map.entrySet()) {
            entries.add(new byte[][] {Canonical.encode(e.getKey()), Canonical.encode(e.getValue())});
        }
        entries.sort((x, y) -> Arrays.compareUnsigned(x[0], y[0]));
        for (byte[][] e : entries) {
            out.write(e[0]);
            out.write(e[1]);
        }
    }

    /**
     * Reads a value {@link #write} wrote; no length is trusted beyond {@code maxLength}.
     *
     * @throws IOException if the input is not such a value
     */
    public static Object read(DataInput in, int maxLength) throws IOException {
        return read(in, maxLength, 0);
    }

    /** Reads the rest of a value whose tag, {@code tag}, was read already (by a format that adds tags of its own). */
    public static Object readAfterTag(DataInput in, int tag, int maxLength) throws IOException {
        return read(in, tag, maxLength, 0);
    }

    private static Object read(DataInput in, int maxLength, int depth) throws IOException {
        if (depth > MAX_DEPTH) {
            throw new IOException("values nested deeper than " + MAX_DEPTH);
        }
        return read(in, in.readUnsignedByte(), maxLength, depth);
    }

    private static Object read(DataInput in, int tag, int maxLength, int depth) throws IOException {
        return switch (tag) {
            case NULL -> null;
            case FALSE -> Boolean.FALSE;
            case TRUE -> Boolean.TRUE;
            case INTEGER -> in.readLong();
            case BIG_INTEGER -> new BigInteger(readBytes(in, maxLength));
            case FLOAT -> Double.longBitsToDouble(in.readLong());
            case STRING -> {
                char[] chars = new char[count(in, maxLength)];
                for (int i = 0; i < chars.length; i++) {
                    chars[i] = in.readChar();
                }
                yield new String(chars);
            }
            case BYTES -> readBytes(in, maxLength);
            case LIST -> {
                int n = count(in, maxLength);
                List<Object> list = new ArrayList<>(Math.min(n, 1024));
                for (int i = 0; i < n; i++) {
                    list.add(read(in, maxLength, depth + 1));
                }
                yield list;
            }
            case MAP -> {
                int n = count(in, maxLength);
                Map<Object, Object> map = new LinkedHashMap<>();
                for (int i = 0; i < n; i++) {
                    map.put(read(in, maxLength, depth + 1), read(in, maxLength, depth + 1));
                }
                yield map;
            }
            default -> throw new IOException("unknown value tag " + tag);
        };
    }

    /** A length-prefixed byte string. */
    public static void writeBytes(DataOutput out, byte[] bytes) throws IOException {
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    /** A byte string {@link #writeBytes} wrote, at most {@code maxLength} long. */
    public static byte[] readBytes(DataInput in, int maxLength) throws IOException {
        byte[] bytes = new byte[count(in, maxLength)];
        in.readFully(bytes);
        return bytes;
    }

    /** A length, checked before anything of that size is allocated. */
    public static int count(DataInput in, int maxLength) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > maxLength) {
            throw new IOException("length " + n + " is out of range");
        }
        return n;
    }
}
