package dev.jv2p.bench.jmh;

import dev.jv2p.mesh.spi.Flags;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * The payload shapes every benchmark uses, the same as the harness's: 16-byte keys and
 * 100-byte values, as ASCII text.
 */
public final class Payloads {
    /** Key length in bytes. */
    public static final int KEY_LENGTH = 16;
    /** Value length in bytes. */
    public static final int VALUE_LENGTH = 100;
    /** A node id of the length p2p.today ids have (base58 of a SHA-384). */
    public static final String SENDER = "3Qb9Xh6sKuNmH1fBrzYwVJtEpqLcAgDo2WiMnRaT5ZkUyGePvCxF8jsd7NQh4LbW";

    private Payloads() {}

    /** Key {@code i} of the series {@code prefix}: the prefix, then {@code i} zero-padded to 16 bytes. */
    public static String key(char prefix, long i) {
        String digits = Long.toString(i);
        char[] out = new char[KEY_LENGTH];
        Arrays.fill(out, '0');
        out[0] = prefix;
        digits.getChars(0, digits.length(), out, KEY_LENGTH - digits.length());
        return new String(out);
    }

    /** A 100-byte value whose first 20 characters are {@code stamp}, zero-padded (the harness puts a send time there). */
    public static String value(long stamp) {
        String digits = Long.toString(stamp);
        char[] out = new char[VALUE_LENGTH];
        Arrays.fill(out, 'v');
        Arrays.fill(out, 0, 20, '0');
        digits.getChars(0, digits.length(), out, 20 - digits.length());
        return new String(out);
    }

    /** The send time stored in a value made by {@link #value(long)}. */
    public static long stampOf(String value) {
        return Long.parseLong(value, 0, 20, 10);
    }

    /**
     * The packet list of a dictionary write as it crosses the wire, header included:
     * {@code [broadcast, sender, time, store, key, value, seq]}.
     */
    public static List<Object> storeMessage(long i) {
        return List.of(
                (long) Flags.BROADCAST,
                SENDER,
                1_760_000_000L,
                (long) Flags.STORE,
                key('k', i).getBytes(StandardCharsets.US_ASCII),
                value(i),
                0L);
    }
}
