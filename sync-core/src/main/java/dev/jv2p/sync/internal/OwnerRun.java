package dev.jv2p.sync.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The writes one owner made to one key within one second (a <em>run</em>), and the normal form
 * that replaces them in a {@link KeyLog}.
 *
 * <p>Merge order sorts by timestamp, then owner, then sequence number, so a run is contiguous:
 * no other owner's write, however late it arrives, can be placed inside it. Whatever state S
 * the run meets, these rewrites leave the state after it unchanged (value and stamp):
 * <ul>
 *   <li>a set or delete followed later in the run by another set or delete is dropped: if the
 *       first passes the lease rule the owner holds the key and the second passes too (rule 2);
 *       if it fails, the state is still S and the second, judged alike, fails too; with leasing
 *       off, any deltas between them are kept, since a delta passes where a set may not (rule 3)
 *       and then hands the owner the key;</li>
 *   <li>with leasing on, a delta before the run's last set or delete is dropped: the lease rule
 *       then judges every write of the run alike, so the set decides;</li>
 *   <li>two deltas next to each other merge into one (the later entries win), provided their
 *       sequence numbers are consecutive, so no write of the run that has not arrived yet can
 *       belong between them.</li>
 * </ul>
 * So a run keeps at most: merged deltas, its last set or delete, merged deltas — one write when
 * the owner only sets, or only applies deltas. A slot that stands for several sequence numbers
 * is a {@link Folded}; a write arriving again whose number it covers is a duplicate.
 */
final class OwnerRun {
    /** A write standing for every write of its run numbered {@code firstSeq} to its own seq. */
    record Folded(Write write, long firstSeq) {}

    private OwnerRun() {}

    /**
     * The write a slot stands for. A slot may be the {@link Entry} a set or delete produced
     * (see {@link KeyLog}): the write is then made again from it, the value shared.
     */
    static Write write(Object slot) {
        if (slot instanceof Write w) {
            return w;
        }
        if (slot instanceof Entry e) {
            return e.isTombstone() ? Write.delete(e.key(), e.stamp()) : Write.set(e.key(), e.value(), e.stamp());
        }
        return ((Folded) slot).write();
    }

    /**
     * Whether a set or delete may be held as the entry it produced, {@code state}: the write is
     * made again from it unchanged (a {@code byte[]} would be copied, so it stays a write).
     */
    static boolean heldAsEntry(Write write, Entry state) {
        return write.kind() != Write.Kind.DELTA
                && state.stamp() == write.stamp()
                && state.value() == write.value()
                && !(write.value() instanceof byte[]);
    }

    static long firstSeq(Object slot) {
        return slot instanceof Folded f ? f.firstSeq() : write(slot).stamp().seq();
    }

    static boolean sameRun(Write a, Write b) {
        return a.timestamp() == b.timestamp() && a.owner().equals(b.owner());
    }

    /**
     * Whether {@code slot} (of {@code write}'s run) already stands for {@code write}'s sequence
     * number. Only a slot folded from several numbers covers any: a jv2p owner numbers each of
     * its writes of a second apart, while a js2p owner's writes of one second all carry 0 and
     * are told apart by content, never folded by number.
     */
    static boolean covers(Object slot, Write write) {
        long seq = write.stamp().seq();
        long last = write(slot).stamp().seq();
        return slot instanceof Folded f && f.firstSeq() < last && f.firstSeq() <= seq && seq <= last;
    }

    /**
     * The normal form of a run, its slots in merge order.
     *
     * @param foldDeltas whether deltas may merge (not where every write must keep its owner's
     *     signature: a merged delta has none)
     */
    static Object[] normalForm(Object[] run, boolean leasing, boolean foldDeltas) {
        int last = -1;
        for (int i = 0; i < run.length; i++) {
            if (write(run[i]).kind() != Write.Kind.DELTA) {
                last = i;
            }
        }
        List<Object> out = new ArrayList<>(3);
        long absorbedFrom = -1;
        long absorbedTo = -1;
        for (int i = 0; i < run.length; i++) {
            Write w = write(run[i]);
            long from = firstSeq(run[i]);
            long to = w.stamp().seq();
            if (i < last && (w.kind() != Write.Kind.DELTA || leasing)) {
                // dropped; its numbers pass to the next slot kept, if they join up with it
                if (absorbedFrom >= 0 && from <= absorbedTo + 1) {
                    absorbedFrom = Math.min(absorbedFrom, from);
                    absorbedTo = Math.max(absorbedTo, to);
                } else {
                    absorbedFrom = from;
                    absorbedTo = to;
                }
                continue;
            }
            if (absorbedFrom >= 0 && absorbedTo + 1 >= from) {
                from = Math.min(from, absorbedFrom);
            }
            absorbedFrom = -1;
            if (foldDeltas && w.kind() == Write.Kind.DELTA && !out.isEmpty()) {
                Object previous = out.get(out.size() - 1);
                Write p = write(previous);
                if (p.kind() == Write.Kind.DELTA
                        && p.stamp().seq() + 1 >= from
                        && p.stamp().seq() < to) {
                    out.set(out.size() - 1, slot(merge(p, w), Math.min(firstSeq(previous), from)));
                    continue;
                }
            }
            out.add(slot(w, from));
        }
        return out.toArray();
    }

    private static Object slot(Write w, long firstSeq) {
        return firstSeq == w.stamp().seq() ? w : new Folded(w, firstSeq);
    }

    /** One delta with {@code earlier}'s entries and then {@code later}'s over them, stamped as {@code later}. */
    static Write merge(Write earlier, Write later) {
        Map<Object, Object> entries = new LinkedHashMap<>((Map<?, ?>) earlier.value());
        entries.putAll((Map<?, ?>) later.value());
        return Write.delta(later.key(), entries, later.stamp());
    }
}
