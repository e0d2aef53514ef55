package dev.jv2p.mesh.spi;

import java.math.BigInteger;
import java.util.AbstractList;
import java.util.AbstractMap;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.RandomAccess;
import java.util.Set;

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
    private Values() {}

    /**
     * Returns an immutable copy of {@code value} in the value model. A list or map that this
     * method returned before is returned as it is, without a walk or a copy: it is immutable and
     * already in the model, so protocol layers can hand the same structures to the mesh again
     * and again (a stored value sent in every transfer, say) at no cost.
     *
     * @throws IllegalArgumentException naming the path of the first element that no codec
     *     can carry
     */
    public static Object normalize(Object value) {
        return normalize(value, "value");
    }

    /** {@link #normalize} for a whole packet list. */
    public static List<Object> normalizeList(List<?> packets) {
        @SuppressWarnings("unchecked")
        List<Object> out = (List<Object>) normalize(packets, "packets");
        return out;
    }

    /**
     * The nesting height of a list or map that {@link #normalize} returned (0 when empty, else
     * one more than its highest element; other elements count 0), or -1 for anything else. A
     * codec may write such a value as it is, as long as its place in the packet list plus this
     * height stays within the 64 levels that {@code normalize} allows.
     */
    public static int normalizedHeight(Object value) {
        if (value instanceof FrozenList l) {
            return l.height;
        }
        if (value instanceof FrozenMap m) {
            return m.height;
        }
        return -1;
    }

    private static final int MAX_DEPTH = 64;

    private static Object normalize(Object value, String root) {
        try {
            return normalize(value, 0);
        } catch (NotInModel e) {
            throw new IllegalArgumentException(root + e.path + e.problem);
        }
    }

    /**
     * Thrown through the levels of a refused value, each prepending its part of the path, so
     * that the path is only built when something is refused. No stack trace: it never leaves
     * this class.
     */
    private static final class NotInModel extends RuntimeException {
        private static final long serialVersionUID = 1L;
        String path = "";
        final String problem;

        NotInModel(String problem) {
            super(null, null, false, false);
            this.problem = problem;
        }

        NotInModel under(String part) {
            path = part + path;
            return this;
        }
    }

    private static Object normalize(Object value, int depth) {
        if (depth > MAX_DEPTH) {
            throw new NotInModel(" is nested deeper than 64 levels");
        }
        if (value == null
                || value instanceof Boolean
                || value instanceof Long
                || value instanceof Double
                || value instanceof String) {
            return value;
        }
        if (value instanceof FrozenList || value instanceof FrozenMap) {
            if (depth + normalizedHeight(value) > MAX_DEPTH) {
                throw new NotInModel(" holds values nested deeper than 64 levels");
            }
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
            throw new NotInModel(" is an integer outside the 64-bit range: " + big);
        }
        if (value instanceof byte[] bytes) {
            return bytes.clone();
        }
        if (value instanceof List<?> list) {
            Object[] out = new Object[list.size()];
            int i = 0;
            int height = 0;
            for (Object element : list) {
                if (i == out.length) {
                    throw new NotInModel(" changed while it was being copied");
                }
                Object e;
                try {
                    e = normalize(element, depth + 1);
                } catch (NotInModel refused) {
                    throw refused.under("[" + i + "]");
                }
                out[i++] = e;
                height = Math.max(height, normalizedHeight(e));
            }
            if (i != out.length) {
                throw new NotInModel(" changed while it was being copied");
            }
            return new FrozenList(out, out.length == 0 ? 0 : height + 1);
        }
        if (value instanceof Map<?, ?> map) {
            Map<Object, Object> out = new LinkedHashMap<>();
            int height = 0;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                Object key;
                try {
                    key = normalize(e.getKey(), depth + 1);
                } catch (NotInModel refused) {
                    throw refused.under(" key");
                }
                Object v;
                try {
                    v = normalize(e.getValue(), depth + 1);
                } catch (NotInModel refused) {
                    throw refused.under("[" + e.getKey() + "]");
                }
                out.put(key instanceof byte[] b ? new String(b, java.nio.charset.StandardCharsets.UTF_8) : key, v);
                height = Math.max(height, Math.max(normalizedHeight(key), normalizedHeight(v)));
            }
            return new FrozenMap(Collections.unmodifiableMap(out), out.isEmpty() ? 0 : height + 1);
        }
        throw new NotInModel(" has type " + value.getClass().getName()
                + ", which no jv2p codec carries (use null, Boolean, integers, Float/Double, String, byte[],"
                + " List or Map)");
    }

    /** An immutable list in the value model, as {@link #normalize} returns it. */
    private static final class FrozenList extends AbstractList<Object> implements RandomAccess {
        private final Object[] elements;
        final int height;

        FrozenList(Object[] elements, int height) {
            this.elements = elements;
            this.height = height;
        }

        @Override
        public Object get(int index) {
            return elements[index];
        }

        @Override
        public int size() {
            return elements.length;
        }
    }

    /** An immutable map in the value model, as {@link #normalize} returns it; keeps insertion order. */
    private static final class FrozenMap extends AbstractMap<Object, Object> {
        private final Map<Object, Object> entries;
        final int height;

        FrozenMap(Map<Object, Object> entries, int height) {
            this.entries = entries;
            this.height = height;
        }

        @Override
        public Set<Map.Entry<Object, Object>> entrySet() {
            return entries.entrySet();
        }

        @Override
        public Object get(Object key) {
            return entries.get(key);
        }

        @Override
        public boolean containsKey(Object key) {
            return entries.containsKey(key);
        }

        @Override
        public int size() {
            return entries.size();
        }
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
