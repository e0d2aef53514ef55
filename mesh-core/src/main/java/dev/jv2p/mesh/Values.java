package dev.jv2p.mesh;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The jv2p value model, shared by every codec: {@code null}, {@link Boolean}, {@link Long}
 * (all integers; {@link BigInteger} only beyond the range of {@code long}), {@link Double},
 * {@link String}, {@code byte[]}, {@code List<Object>} and {@code Map<Object, Object>}.
 *
 * <p>{@link #normalize} turns what a caller hands in (other boxed integers, {@link Float},
 * any {@code List}/{@code Map}) into that model and refuses anything else; {@link #deepEquals}
 * and {@link #deepHashCode} compare values with {@code byte[]} by content.
 */
public final class Values {
    private Values() {
    }

    /**
     * Returns an immutable copy of {@code value} in the value model.
     *
     * @throws IllegalArgumentException naming the path of the first element that no codec
     *     can carry
     */
    public static Object normalize(Object value) {
        return normalize(value, "value", 0);
    }

    /** {@link #normalize} for a whole packet list. */
    public static List<Object> normalizeList(List<?> packets) {
        @SuppressWarnings("unchecked")
        List<Object> out = (List<Object>) normalize(packets, "packets", 0);
        return out;
    }

    private static Object normalize(Object value, String path, int depth) {
        if (depth > 64) {
            throw new IllegalArgumentException(path + " is nested deeper than 64 levels");
        }
        if (value == null || value instanceof Boolean || value instanceof Long || value instanceof Double
                || value instanceof String) {
            return value;
        }
        if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof Float f) {
            return f.doubleValue();
        }
        if (value instanceof BigInteger big) {
            if (big.bitLength() <= 63) {
                return big.longValue();
            }
            if (big.signum() > 0 && big.bitLength() <= 64) {
                return big;
            }
            throw new IllegalArgumentException(path + " is an integer outside the 64-bit range: " + big);
        }
        if (value instanceof byte[] bytes) {
            return bytes.clone();
        }
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            int i = 0;
            for (Object element : list) {
                out.add(normalize(element, path + "[" + i++ + "]", depth + 1));
            }
            return Collections.unmodifiableList(out);
        }
        if (value instanceof Map<?, ?> map) {
            Map<Object, Object> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                Object key = normalize(e.getKey(), path + " key", depth + 1);
                out.put(key instanceof byte[] b ? new String(b, java.nio.charset.StandardCharsets.UTF_8) : key,
                        normalize(e.getValue(), path + "[" + e.getKey() + "]", depth + 1));
            }
            return Collections.unmodifiableMap(out);
        }
        throw new IllegalArgumentException(path + " has type " + value.getClass().getName()
                + ", which no jv2p codec carries (use null, Boolean, integers, Float/Double, String, byte[],"
                + " List or Map)");
    }

    /** Structural equality with {@code byte[]} compared by content and lists/maps recursively. */
    public static boolean deepEquals(Object a, Object b) {
        if (a == b) {
            return true;
        }
        if (a == null || b == null) {
            return false;
        }
        if (a instanceof byte[] x && b instanceof byte[] y) {
            return Arrays.equals(x, y);
        }
        if (a instanceof List<?> x && b instanceof List<?> y) {
            if (x.size() != y.size()) {
                return false;
            }
            Iterator<?> i = x.iterator();
            Iterator<?> j = y.iterator();
            while (i.hasNext()) {
                if (!deepEquals(i.next(), j.next())) {
                    return false;
                }
            }
            return true;
        }
        if (a instanceof Map<?, ?> x && b instanceof Map<?, ?> y) {
            if (x.size() != y.size()) {
                return false;
            }
            for (Map.Entry<?, ?> e : x.entrySet()) {
                if (!y.containsKey(e.getKey()) || !deepEquals(e.getValue(), y.get(e.getKey()))) {
                    return false;
                }
            }
            return true;
        }
        return a.equals(b);
    }

    /** A hash code consistent with {@link #deepEquals}. */
    public static int deepHashCode(Object v) {
        if (v == null) {
            return 0;
        }
        if (v instanceof byte[] b) {
            return Arrays.hashCode(b);
        }
        if (v instanceof List<?> list) {
            int h = 1;
            for (Object o : list) {
                h = 31 * h + deepHashCode(o);
            }
            return h;
        }
        if (v instanceof Map<?, ?> map) {
            int h = 0;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                h += deepHashCode(e.getKey()) ^ deepHashCode(e.getValue());
            }
            return h;
        }
        return v.hashCode();
    }

    /** A readable rendering: bytes as {@code bin(hex)}, strings quoted. */
    public static String toString(Object v) {
        if (v instanceof byte[] b) {
            StringBuilder sb = new StringBuilder("bin(");
            for (byte x : b) {
                sb.append(Character.forDigit((x >> 4) & 0xf, 16)).append(Character.forDigit(x & 0xf, 16));
            }
            return sb.append(')').toString();
        }
        if (v instanceof String s) {
            return '"' + s + '"';
        }
        if (v instanceof List<?> list) {
            StringBuilder sb = new StringBuilder("[");
            for (Object o : list) {
                if (sb.length() > 1) {
                    sb.append(", ");
                }
                sb.append(toString(o));
            }
            return sb.append(']').toString();
        }
        if (v instanceof Map<?, ?> map) {
            StringBuilder sb = new StringBuilder("{");
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (sb.length() > 1) {
                    sb.append(", ");
                }
                sb.append(toString(e.getKey())).append(": ").append(toString(e.getValue()));
            }
            return sb.append('}').toString();
        }
        return String.valueOf(v);
    }
}
