package dev.jv2p.sync.internal;

import dev.jv2p.mesh.spi.Values;
import java.io.ByteArrayOutputStream;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A canonical byte encoding of the value model, so that every node orders and hashes equal
 * values identically: two values encode to the same bytes exactly when
 * {@link dev.jv2p.mesh.spi.Values#deepEquals} holds, whatever the iteration order of their maps.
 *
 * <p>Each value is a one-byte tag followed by fixed-width or length-prefixed content, which
 * makes the encoding prefix-free. Map entries are written sorted by the encoding of their
 * keys. Strings are written as UTF-16 code units rather than UTF-8 because UTF-8 would fold
 * distinct unpaired surrogates together. This is an internal fingerprint, not a wire format,
 * but it feeds the anti-entropy digest, so changing it changes every digest: version it then.
 */
final class Canonical {
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

    private Canonical() {}

    static byte[] encode(Object value) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(buffer)) {
            write(out, value);
        } catch (IOException e) {
            throw new UncheckedIOException("in-memory stream", e);
        }
        return buffer.toByteArray();
    }

    /** Unsigned lexicographic order of the encodings: a total order consistent with deepEquals. */
    static int compare(Object a, Object b) {
        if (a == b || Values.deepEquals(a, b)) {
            // Equal values encode alike; the usual case, a write received twice, costs no encoding.
            return 0;
        }
        return Arrays.compareUnsigned(encode(a), encode(b));
    }

    static void write(DataOutput out, Object value) throws IOException {
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
            // doubleToLongBits folds NaNs together, exactly as Double.equals does
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
                write(out, element);
            }
        } else if (value instanceof Map<?, ?> map) {
            writeMap(out, map);
        } else {
            throw new IllegalArgumentException(
                    "not in the value model: " + value.getClass().getName());
        }
    }

    private static void writeMap(DataOutput out, Map<?, ?> map) throws IOException {
        List<byte[][]> entries = new ArrayList<>(map.size());
        for (Map.Entry<?, ?> e : map.entrySet()) {
            entries.add(new byte[][] {encode(e.getKey()), encode(e.getValue())});
        }
        entries.sort((x, y) -> Arrays.compareUnsigned(x[0], y[0]));
        out.writeByte(MAP);
        out.writeInt(entries.size());
        for (byte[][] e : entries) {
            out.write(e[0]);
            out.write(e[1]);
        }
    }

    private static void writeBytes(DataOutput out, byte[] bytes) throws IOException {
        out.writeInt(bytes.length);
        out.write(bytes);
    }
}
