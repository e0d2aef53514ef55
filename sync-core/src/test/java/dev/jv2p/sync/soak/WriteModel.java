package dev.jv2p.sync.soak;

import dev.jv2p.mesh.spi.Values;
import dev.jv2p.sync.Key;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What every node must hold: the merge rule with leasing off, applied to every write that
 * counts as made. Per key, the writes in stamp order (timestamp, then owner id as
 * {@link String#compareTo}, then the owner's own order), each judged by p2p.today's rule
 * (spec §12.6) as it stands with leasing off: a delta is always taken; a set or delete is taken
 * if the key has no holder, the holder is the same owner, the holder's second is older, or it
 * is the same second and the holder's owner id is the greater (same-second ties go to the
 * smaller owner id, so a later stamp of a greater owner id in the same second loses). A taken
 * set replaces the value, a delete removes it, a delta puts its entries over the map the key
 * holds (over an empty map if it holds none); the taken write becomes the holder, and its
 * stamp is the expected metadata. A refused write changes nothing.
 *
 * <p>The stamps are the ones the nodes give: the writer reads the second its node stamped with
 * from {@link StampClock}, and one owner's writes of one second keep the order they were made
 * in (the owner's sequence number does the same). Writes recorded more than
 * {@link #FOLD_AFTER_SECONDS} before the newest are folded into a per-key base, so the model's
 * memory stays flat: every writer records its write right after making it, within
 * milliseconds of its stamp, so no write older than that can still be recorded. Thread-safe.
 */
final class WriteModel {
    /** How long writes are kept unfolded; far more than any writer takes to record one. */
    static final long FOLD_AFTER_SECONDS = 10;

    enum Kind {
        SET,
        DELETE,
        DELTA
    }

    /** One write: its key, what it did, and its place in the merge order. */
    record Write(Key key, Kind kind, Object value, long timestamp, String owner, long order) {}

    private static final Comparator<Write> MERGE_ORDER = Comparator.comparingLong(Write::timestamp)
            .thenComparing(Write::owner)
            .thenComparingLong(Write::order);

    /** A key's folded past (its value and holder) and its recent writes in merge order. */
    private static final class KeyState {
        private Object value;
        private Write last;
        private final TreeMap<Write, Write> recent = new TreeMap<>(MERGE_ORDER);
    }

    private final Map<Key, KeyState> keys = new ConcurrentHashMap<>();
    private long writes;

    /** Records a write that counts as made. */
    void record(Key key, Kind kind, Object value, long timestamp, String owner, long order) {
        Write w = new Write(key, kind, kind == Kind.DELETE ? null : Values.normalize(value), timestamp, owner, order);
        KeyState s = keys.computeIfAbsent(key, k -> new KeyState());
        synchronized (s) {
            s.recent.put(w, w);
            while (s.recent.firstKey().timestamp() < timestamp - FOLD_AFTER_SECONDS) {
                Write old = s.recent.pollFirstEntry().getKey();
                if (taken(s.last, old)) {
                    s.value = apply(s.value, old);
                    s.last = old;
                }
            }
        }
        synchronized (this) {
            writes++;
        }
    }

    synchronized long writes() {
        return writes;
    }

    /** Every key's expected state: key → [value, owner, timestamp]; deleted keys are absent. */
    Map<Key, List<Object>> expected() {
        Map<Key, List<Object>> out = new TreeMap<>();
        for (Map.Entry<Key, KeyState> e : keys.entrySet()) {
            KeyState s = e.getValue();
            Object value;
            Write last;
            synchronized (s) {
                value = s.value;
                last = s.last;
                for (Write w : s.recent.keySet()) {
                    if (taken(last, w)) {
                        value = apply(value, w);
                        last = w;
                    }
                }
            }
            if (value != null) {
                out.put(e.getKey(), List.of(value, last.owner(), last.timestamp()));
            }
        }
        return out;
    }

    /** The key's recent writes (for a failure message). */
    List<Write> recent(Key key) {
        KeyState s = keys.get(key);
        if (s == null) {
            return List.of();
        }
        synchronized (s) {
            return new ArrayList<>(s.recent.keySet());
        }
    }

    /** Spec §12.6 with leasing off, against the write that holds the key ({@code null}: none). */
    private static boolean taken(Write holder, Write w) {
        return holder == null
                || w.kind() == Kind.DELTA
                || holder.owner().equals(w.owner())
                || holder.timestamp() < w.timestamp()
                || holder.timestamp() == w.timestamp() && holder.owner().compareTo(w.owner()) > 0;
    }

    private static Object apply(Object current, Write w) {
        return switch (w.kind()) {
            case SET -> w.value();
            case DELETE -> null;
            case DELTA -> {
                if (current != null && !(current instanceof Map)) {
                    throw new IllegalStateException(
                            "the soak applied a delta to " + w.key() + ", which holds " + Values.toString(current));
                }
                Map<Object, Object> merged = new LinkedHashMap<>();
                if (current != null) {
                    merged.putAll((Map<?, ?>) current);
                }
                merged.putAll((Map<?, ?>) w.value());
                yield merged;
            }
        };
    }
}
