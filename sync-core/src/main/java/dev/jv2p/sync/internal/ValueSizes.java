package dev.jv2p.sync.internal;

import java.util.List;
import java.util.Map;

/** Rough sizes of values as msgpack would write them: for batching and for status figures. */
public final class ValueSizes {
    private ValueSizes() {}

    /** An upper estimate of the encoded size of {@code v} in bytes (strings counted at 3 bytes a char). */
    public static long estimate(Object v) {
        if (v == null || v instanceof Boolean) {
            return 1;
        }
        if (v instanceof Long || v instanceof Double) {
            return 9;
        }
        if (v instanceof String s) {
            return 5 + (long) s.length() * 3;
        }
        if (v instanceof byte[] b) {
            return 5 + b.length;
        }
        long n = 5;
        if (v instanceof List<?> l) {
            for (Object e : l) {
                n += estimate(e);
            }
        } else if (v instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                n += estimate(e.getKey()) + estimate(e.getValue());
            }
        }
        return n;
    }
}
