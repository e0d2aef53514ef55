package dev.jv2p.sync;

import dev.jv2p.mesh.spi.Flags;
import dev.jv2p.sync.internal.Entry;
import dev.jv2p.sync.internal.KeyHistory;
import dev.jv2p.sync.internal.ValueSizes;
import dev.jv2p.sync.internal.Write;
import dev.jv2p.sync.internal.WriteStamp;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The sync layer's messages. p2p.today forms (spec §12) for what js2p understands; jv2p's own
 * sub-flags (from {@link Flags#LAYER_EXTENSION_BASE}) for what only jv2p peers use, which
 * js2p relays and ignores (spec §17a):
 * <ul>
 *   <li>live store {@code [11, key(bin), value, seq]} — the trailing seq orders one owner's
 *       same-second writes; js2p ignores it (payload length 4, never the transfer's 5);</li>
 *   <li>delta {@code [17, key(bin), map, seq]};</li>
 *   <li>delete {@code [0x38, key(bin), seq]} — never a nil-valued store, which breaks js2p
 *       connections (spec §12.4);</li>
 *   <li>history batch {@code [0x39, [history...]]}, whispered: state transfer and anti-entropy;</li>
 *   <li>digest {@code [0x3A, [256 bucket hashes], [graveyard watermarks]]}, whispered; the
 *       watermarks list is empty while the sender's graveyard holds nothing;</li>
 *   <li>set or delta of a key that is not UTF-8 {@code [0x3B, kind, key(bin), value, seq]}: js2p
 *       decodes keys as text and would merge distinct byte keys into one, so they never reach it;</li>
 *   <li>write batch {@code [0x3C, [write...]]}: one owner's writes of one second in one
 *       broadcast, each write as above; expanded into those writes for peers not known as jv2p.</li>
 * </ul>
 * Malformed input raises {@link IllegalArgumentException} with the reason.
 */
final class SyncWire {
    static final int DELETE = Flags.LAYER_EXTENSION_BASE;
    static final int HISTORY = Flags.LAYER_EXTENSION_BASE + 1;
    static final int DIGEST = Flags.LAYER_EXTENSION_BASE + 2;
    /** A set or delta of a key that is not UTF-8 text, which js2p would garble: {@code [0x3B, kind, key, value, seq]}. */
    static final int BINARY_KEY_WRITE = Flags.LAYER_EXTENSION_BASE + 3;
    /**
     * Live writes of one owner made in the same second, broadcast as one message:
     * {@code [0x3C, [write...]]}, each write the packets of its own message (sub-flag first:
     * a store, delta, delete or binary-key write). Peers not known as jv2p receive the writes
     * as those separate messages instead ({@link #expandBatch}).
     */
    static final int WRITE_BATCH = Flags.LAYER_EXTENSION_BASE + 4;

    private SyncWire() {}

    static Key key(Object o) {
        if (o instanceof byte[] b) {
            return Key.of(b);
        }
        if (o instanceof String s) {
            return Key.of(s);
        }
        throw new IllegalArgumentException("a key must be bytes or text, not " + describe(o));
    }

    static long integer(Object o, String what) {
        if (o instanceof Long l) {
            return l;
        }
        if (o instanceof Double d && d == Math.rint(d) && Math.abs(d) < 9.007199254740992E15) {
            return d.longValue(); // js2p sends numbers beyond 2^31 as float64 (spec §6.2)
        }
        throw new IllegalArgumentException(what + " must be an integer, not " + describe(o));
    }

    static String text(Object o, String what) {
        if (o instanceof String s && !s.isEmpty()) {
            return s;
        }
        throw new IllegalArgumentException(what + " must be non-empty text, not " + describe(o));
    }

    static long optionalSeq(List<Object> p, int index) {
        return p.size() > index && p.get(index) instanceof Long l && l >= 0 ? l : 0;
    }

    /**
     * The wire form of a history; with {@code signing}, each write and the base carry their
     * owner's proof when this node holds it (see {@link WriteSigning}).
     */
    static List<Object> history(KeyHistory h, WriteSigning signing, BaseChains chains) {
        List<Object> writes = new ArrayList<>(h.writes().size());
        for (Write w : h.writes()) {
            List<Object> write = write(w);
            if (signing != null) {
                signing.proofOf(w).ifPresent(write::add);
            }
            writes.add(write);
        }
        List<Object> base = null;
        if (h.base() != null) {
            base = new ArrayList<>(Arrays.asList(
                    h.base().value(),
                    h.base().stamp().owner(),
                    h.base().stamp().timestamp(),
                    h.base().stamp().seq(),
                    h.base().isTombstone()));
            Object[] kindAndProof =
                    signing == null ? null : signing.proofOf(h.base()).orElse(null);
            if (kindAndProof != null) {
                base.addAll(Arrays.asList(kindAndProof));
            } else if (chains != null) {
                chains.wireChainOf(h.base()).ifPresent(base::addAll);
            }
        }
        List<Object> out = new ArrayList<>(4);
        out.add(h.key().bytes());
        out.add(h.horizon());
        out.add(base);
        out.add(writes);
        return out;
    }

    static KeyHistory history(Object o) {
        if (!(o instanceof List<?> l) || l.size() != 4 || !(l.get(3) instanceof List<?> ws)) {
            throw new IllegalArgumentException("a history must be [key, horizon, base, writes]");
        }
        Key key = key(l.get(0));
        long horizon = integer(l.get(1), "horizon");
        Entry base = null;
        if (l.get(2) != null) {
            if (!(l.get(2) instanceof List<?> b)
                    || (b.size() != 5 && b.size() != 7)
                    || !(b.get(4) instanceof Boolean tomb)) {
                throw new IllegalArgumentException("a base must be [value, owner, timestamp, seq, tombstone]"
                        + " (then kind and proof when signed)");
            }
            WriteStamp stamp = WriteStamp.shared(
                    integer(b.get(2), "timestamp"), text(b.get(1), "owner"), integer(b.get(3), "seq"));
            base = new Entry(key, tomb ? null : b.get(0), stamp);
        }
        List<Write> writes = new ArrayList<>(ws.size());
        for (Object w : ws) {
            writes.add(write(key, w));
        }
        return new KeyHistory(key, horizon, base, writes);
    }

    /** A write in a history's form, {@code [kind, value, owner, timestamp, seq]}, to which a proof may be added. */
    static List<Object> write(Write w) {
        // ArrayList, not List.of: a delete's value is nil.
        return new ArrayList<>(Arrays.asList(
                (long) w.kind().ordinal(),
                w.value(),
                w.owner(),
                w.timestamp(),
                w.stamp().seq()));
    }

    static Write write(Key key, Object o) {
        if (!(o instanceof List<?> w) || (w.size() != 5 && w.size() != 6)) {
            throw new IllegalArgumentException(
                    "a write must be [kind, value, owner, timestamp, seq] (then a proof when" + " signed)");
        }
        long kind = integer(w.get(0), "kind");
        WriteStamp stamp =
                WriteStamp.shared(integer(w.get(3), "timestamp"), text(w.get(2), "owner"), integer(w.get(4), "seq"));
        if (kind == Write.Kind.SET.ordinal()) {
            return Write.set(key, w.get(1), stamp);
        }
        if (kind == Write.Kind.DELETE.ordinal()) {
            return Write.delete(key, stamp);
        }
        if (kind == Write.Kind.DELTA.ordinal() && w.get(1) instanceof Map<?, ?> m) {
            return Write.delta(key, m, stamp);
        }
        throw new IllegalArgumentException("unknown write kind " + kind);
    }

    /**
     * The graveyard watermarks a digest carries: none while the graveyard holds nothing (every
     * slot -1, no tombstone collected yet), rather than thousands of numbers every round.
     */
    static List<Object> watermarks(long[] graveyard) {
        List<Object> marks = new ArrayList<>();
        if (Arrays.stream(graveyard).anyMatch(w -> w >= 0)) {
            for (long w : graveyard) {
                marks.add(w);
            }
        }
        return marks;
    }

    /** A rough size of a value on the wire, to cut batches below the frame limit. */
    static long estimateSize(Object v) {
        return ValueSizes.estimate(v);
    }

    static long estimateSize(KeyHistory h) {
        long n = 32 + h.key().length();
        if (h.base() != null) {
            n += 100 + estimateSize(h.base().value());
        }
        for (Write w : h.writes()) {
            n += 100 + estimateSize(w.value());
        }
        return n;
    }

    /**
     * The separate messages a write batch stands for, as the owner would have sent each write
     * alone; what js2p peers receive. Malformed elements are left out (the handler that applies
     * the batch reports them).
     */
    @SuppressWarnings("unchecked")
    static List<List<Object>> expandBatch(List<Object> packets) {
        if (packets.size() != 2 || !(packets.get(1) instanceof List<?> writes)) {
            return List.of();
        }
        List<List<Object>> out = new ArrayList<>(writes.size());
        for (Object w : writes) {
            if (w instanceof List<?> l && !l.isEmpty() && l.get(0) instanceof Long sub && sub != WRITE_BATCH) {
                out.add((List<Object>) l);
            }
        }
        return out;
    }

    static String describe(Object o) {
        return o == null ? "nil" : o.getClass().getSimpleName();
    }

    static String keyText(Key key) {
        return new String(key.bytes(), StandardCharsets.UTF_8);
    }
}
