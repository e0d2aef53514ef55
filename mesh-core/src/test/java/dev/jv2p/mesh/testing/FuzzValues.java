package dev.jv2p.mesh.testing;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import dev.jv2p.mesh.spi.Values;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Packet lists built from fuzz data, for the codecs' round-trip properties, and what a codec
 * must give back for them.
 *
 * <p>Values use every type a caller may hand to a codec: the value model plus the other boxed
 * integers, {@link Float}, {@code byte[]} map keys and strings with unpaired surrogates. Map
 * keys are scalars, so that they compare by value once decoded (a {@code byte[]} inside a list
 * key would not).
 */
public final class FuzzValues {
    private static final int MAX_DEPTH = 8;
    private static final int MAX_CONTAINER = 12;
    private static final int MAX_TEXT = 40;
    private static final long[] EDGE_LONGS = {
        0,
        1,
        -1,
        31,
        32,
        127,
        128,
        255,
        256,
        65535,
        65536,
        -32,
        -33,
        -128,
        -129,
        -32768,
        -32769,
        Integer.MAX_VALUE,
        Integer.MIN_VALUE,
        1L << 32,
        Long.MAX_VALUE,
        Long.MIN_VALUE
    };
    private static final BigInteger TWO_TO_63 = BigInteger.ONE.shiftLeft(63);

    private FuzzValues() {}

    /** A packet list of up to a dozen values, nested at most {@value #MAX_DEPTH} levels. */
    public static List<Object> packetList(FuzzedDataProvider data) {
        return list(data, 1);
    }

    /** Any one value, a list or map at most {@value #MAX_DEPTH} levels deep. */
    public static Object value(FuzzedDataProvider data) {
        return value(data, 1);
    }

    /**
     * What every codec decodes {@code encode(packets)} to: {@link Values#normalizeList}, with
     * each string as its UTF-8 bytes read back (an unpaired surrogate becomes {@code ?}), and
     * map keys that thereby become equal merged as a decoder merges repeated keys.
     */
    public static List<Object> expectedAfterRoundTrip(List<?> packets) {
        @SuppressWarnings("unchecked")
        List<Object> out = (List<Object>) throughUtf8(Values.normalizeList(packets));
        return out;
    }

    /** Nesting of a decoded value as {@code DecodeLimits} counts it: the packet list is level 1. */
    public static int depth(Object v) {
        int deepest = 0;
        if (v instanceof List<?> list) {
            for (Object o : list) {
                deepest = Math.max(deepest, depth(o));
            }
            return deepest + 1;
        }
        if (v instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                deepest = Math.max(deepest, Math.max(depth(e.getKey()), depth(e.getValue())));
            }
            return deepest + 1;
        }
        return 0;
    }

    /**
     * Values in a decoded value as {@code DecodeLimits} counts them: every container, key and
     * element, the value itself included. Repeated map keys count once here, so this is a
     * lower bound of what the decoder counted.
     */
    public static long count(Object v) {
        long n = 1;
        if (v instanceof List<?> list) {
            for (Object o : list) {
                n += count(o);
            }
        } else if (v instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                n += count(e.getKey()) + count(e.getValue());
            }
        }
        return n;
    }

    private static Object value(FuzzedDataProvider data, int depth) {
        int kind = data.consumeInt(0, depth < MAX_DEPTH ? 13 : 11);
        return switch (kind) {
            case 0 -> null;
            case 1 -> data.consumeBoolean();
            case 2 -> data.consumeLong();
            case 3 -> data.pickValue(EDGE_LONGS);
            case 4 -> TWO_TO_63.add(BigInteger.valueOf(data.consumeLong(0, Long.MAX_VALUE)));
            case 5 -> data.consumeDouble();
            case 6 -> data.consumeString(MAX_TEXT);
            case 7 -> data.consumeBytes(data.consumeInt(0, MAX_TEXT));
            case 8 -> data.consumeInt();
            case 9 -> data.consumeShort();
            case 10 -> data.consumeFloat();
            case 11 -> data.consumeByte();
            case 12 -> list(data, depth + 1);
            default -> map(data, depth + 1);
        };
    }

    private static List<Object> list(FuzzedDataProvider data, int depth) {
        int size = data.consumeInt(0, MAX_CONTAINER);
        List<Object> out = new ArrayList<>(size);
        for (int i = 0; i < size && data.remainingBytes() > 0; i++) {
            out.add(value(data, depth));
        }
        return out;
    }

    private static Map<Object, Object> map(FuzzedDataProvider data, int depth) {
        int size = data.consumeInt(0, MAX_CONTAINER);
        Map<Object, Object> out = new LinkedHashMap<>();
        for (int i = 0; i < size && data.remainingBytes() > 0; i++) {
            out.put(key(data), value(data, depth));
        }
        return out;
    }

    private static Object key(FuzzedDataProvider data) {
        return switch (data.consumeInt(0, 6)) {
            case 0 -> null;
            case 1 -> data.consumeBoolean();
            case 2 -> data.consumeLong();
            case 3 -> data.consumeDouble();
            case 4 -> data.consumeBytes(data.consumeInt(0, MAX_TEXT));
            default -> data.consumeString(MAX_TEXT);
        };
    }

    private static Object throughUtf8(Object v) {
        if (v instanceof String s) {
            return new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
        }
        if (v instanceof List<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            for (Object o : list) {
                out.add(throughUtf8(o));
            }
            return out;
        }
        if (v instanceof Map<?, ?> map) {
            Map<Object, Object> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                out.put(throughUtf8(e.getKey()), throughUtf8(e.getValue()));
            }
            return out;
        }
        return v;
    }
}
