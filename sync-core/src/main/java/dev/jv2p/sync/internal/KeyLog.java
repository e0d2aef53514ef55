package dev.jv2p.sync.internal;

import dev.jv2p.sync.Key;
import java.util.Arrays;
import java.util.List;

/**
 * The retained history of one key: a base state (the fold of every write stamped before
 * {@code horizon}) and the writes since, sorted in merge order. The key's state is the fold of
 * the retained writes over the base. Not thread-safe; owned by {@link SyncStore}.
 *
 * <p>One owner's writes of one second (a <em>run</em>) are contiguous in merge order, so no
 * other owner's write can ever land between them; {@link OwnerRun} replaces each run by a
 * normal form of at most three writes with the same effect on any state, so a key written any
 * number of times a second keeps a bounded history without refusing a write.
 */
final class KeyLog {
    private final Key key;
    private final long keyHash;
    private long horizon;
    private Entry base;
    /**
     * The writes since the base, in merge order, held without a list object: {@code null}
     * while there are none, the slot itself while there is one (most keys), else an
     * {@code Object[]} whose first {@link #count} slots are used. A slot is a {@link Write}, an
     * {@link OwnerRun.Folded} when it stands for a folded stretch of one owner's run, or the
     * {@link Entry} a set or delete produced, which stands for that write: most keys are set
     * once, and then one object serves as both their history and their state.
     */
    private Object held;

    private int count;
    private Entry current;
    /** This key's entry hash (see {@link BucketDigest}); both halves 0 while the key has no state. */
    private long entryHash;

    private long entryHashLow;

    KeyLog(Key key, long keyHash, long horizon) {
        this.key = key;
        this.keyHash = keyHash;
        this.horizon = horizon;
    }

    Key key() {
        return key;
    }

    long keyHash() {
        return keyHash;
    }

    long horizon() {
        return horizon;
    }

    Entry base() {
        return base;
    }

    List<Write> writes() {
        Write[] out = new Write[count];
        for (int i = 0; i < count; i++) {
            out[i] = writeAt(i);
        }
        return List.of(out);
    }

    /** How many writes are held after the base. */
    int writeCount() {
        return count;
    }

    Entry current() {
        return current;
    }

    /** The high half of the entry hash: this key's contribution to its XOR digest bucket. */
    long entryHash() {
        return entryHash;
    }

    BucketDigest.EntryHash fullEntryHash() {
        return new BucketDigest.EntryHash(entryHash, entryHashLow);
    }

    void entryHash(BucketDigest.EntryHash hash) {
        entryHash = hash == null ? 0 : hash.high();
        entryHashLow = hash == null ? 0 : hash.low();
    }

    /**
     * Adds {@code write} (stamped at or after the horizon), refolds, and folds the owner's run
     * it joined into its normal form.
     *
     * @param foldDeltas whether deltas of one run may be merged into one (not where each write
     *     must keep its owner's signature)
     * @return what the rule did with the write at its place in merge order, or {@code null} if
     *     this very write is already held or folded into a held one
     */
    MergeRule.Verdict insert(Write write, MergeRule rule, boolean foldDeltas) {
        int at = search(write);
        if (at >= 0) {
            return null;
        }
        int covering = covering(write, -at - 1);
        if (covering >= 0) {
            return absorb(covering, write, rule) ? MergeRule.Verdict.TAKEN : null;
        }
        int position = -at - 1;
        insertAt(position, write);
        MergeRule.Verdict verdict;
        if (position == count - 1) {
            // the common case, a write newer than everything held: one step, no replay
            MergeRule.Step step = rule.apply(current, write);
            current = step.state();
            verdict = step.verdict();
            if (OwnerRun.heldAsEntry(write, current)) {
                replaceLast(current);
            }
        } else {
            Entry state = fold(base, 0, position, rule);
            MergeRule.Step step = rule.apply(state, write);
            current = fold(step.state(), position + 1, count, rule);
            verdict = step.verdict();
        }
        foldRunAt(position, rule.leasing(), foldDeltas);
        return verdict;
    }

    /** The state a write stamped {@code stamp} would meet: the fold of everything ordered before it. */
    Entry stateBefore(WriteStamp stamp, MergeRule rule) {
        if (count == 0 || writeAt(count - 1).stamp().compareTo(stamp) < 0) {
            return current; // a local write is nearly always the newest
        }
        int end = 0;
        while (end < count && writeAt(end).stamp().compareTo(stamp) < 0) {
            end++;
        }
        return fold(base, 0, end, rule);
    }

    /**
     * Folds the writes stamped before {@code newHorizon} into the base. Leaves the state as it
     * was. {@code folding}, if not {@code null}, is told which writes the new base took.
     */
    void compact(long newHorizon, MergeRule rule, Folding folding) {
        if (newHorizon <= horizon) {
            return;
        }
        int end = 0;
        while (end < count && writeAt(end).timestamp() < newHorizon) {
            end++;
        }
        if (end > 0) { // usually none: every key is visited on every collection
            Entry from = base;
            if (folding == null) {
                base = fold(base, 0, end, rule);
            } else {
                List<Write> taken = new java.util.ArrayList<>();
                Entry state = base;
                for (int i = 0; i < end; i++) {
                    MergeRule.Step step = rule.apply(state, writeAt(i));
                    if (step.verdict() == MergeRule.Verdict.TAKEN) {
                        taken.add(writeAt(i));
                    }
                    state = step.state();
                }
                base = state;
                folding.folded(key, from, taken, base);
            }
            removeFirst(end);
        }
        horizon = newHorizon;
    }

    /**
     * Keeps at most {@code maxWrites} writes where that costs no exactness: by moving the
     * horizon past the oldest ones, but never beyond {@code floor} (the retention bound), so a
     * write that a peer may still legitimately send is never refused for it.
     */
    void enforceCap(int maxWrites, long floor, MergeRule rule, Folding folding) {
        if (count > maxWrites) {
            compact(Math.min(writeAt(count - maxWrites - 1).timestamp() + 1, floor), rule, folding);
        }
    }

    /**
     * Takes a peer's compacted state (older than the retention) or a snapshot's as the base of
     * a key that has none, refolding the writes held over it (a restarted node may be sent live
     * deltas before anti-entropy brings the key); false, changing nothing, if this key has a
     * base or holds a write stamped before {@code newHorizon}.
     */
    boolean adoptUnder(Entry newBase, long newHorizon, MergeRule rule) {
        if (base != null || (count > 0 && writeAt(0).timestamp() < newHorizon)) {
            return false;
        }
        base = newBase;
        horizon = newHorizon;
        current = fold(base, 0, count, rule);
        return true;
    }

    /**
     * The stamp for {@code owner}'s next write at {@code now}: after every write of that owner
     * held for this key, so a jv2p owner's writes replay in the order it made them even within
     * one second or when its clock steps back.
     */
    WriteStamp nextStamp(String owner, long now) {
        WriteStamp last = null;
        for (int i = count - 1; i >= 0; i--) { // the owner's last write in merge order is its newest
            Write w = writeAt(i);
            if (w.owner().equals(owner)) {
                last = w.stamp();
                break;
            }
        }
        if (last == null && base != null && base.stamp().owner().equals(owner)) {
            last = base.stamp();
        }
        if (last == null || last.timestamp() < now) {
            return WriteStamp.shared(now, owner, 0);
        }
        return new WriteStamp(last.timestamp(), owner, last.seq() + 1);
    }

    private Object slotAt(int i) {
        return held instanceof Object[] a ? a[i] : held;
    }

    private Write writeAt(int i) {
        return OwnerRun.write(slotAt(i));
    }

    /**
     * Whether a held slot of the same owner and second already stands for {@code write}'s
     * sequence number: a write folded away earlier and sent again (by relays, transfers or
     * anti-entropy) must not be merged a second time.
     */
    private int covering(Write write, int position) {
        for (int i = position - 1; i >= 0 && OwnerRun.sameRun(writeAt(i), write); i--) {
            if (OwnerRun.covers(slotAt(i), write)) {
                return i;
            }
        }
        for (int i = position; i < count && OwnerRun.sameRun(writeAt(i), write); i++) {
            if (OwnerRun.covers(slotAt(i), write)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Takes what a delta whose number a held folded delta covers may add to it. The incoming
     * delta may itself be a peer's fold of this run, reaching back to numbers this node never
     * received (folded writes travel with their last number only): a node holding the deltas
     * numbered 4 and 5 folded, and missing 3, would otherwise take a peer's fold of 0 to 5 for
     * a duplicate and never get the entries of 3. Both folds end within one run of consecutive
     * numbers, so the incoming one's entries and then the held one's over them stand for
     * their union; a plain duplicate adds nothing.
     *
     * @return whether the held delta changed
     */
    private boolean absorb(int index, Write write, MergeRule rule) {
        Object slot = slotAt(index);
        Write folded = OwnerRun.write(slot);
        if (write.kind() != Write.Kind.DELTA || folded.kind() != Write.Kind.DELTA) {
            return false;
        }
        Write union = OwnerRun.merge(write, folded);
        if (Canonical.compare(union.value(), folded.value()) == 0) {
            return false;
        }
        Object replacement = new OwnerRun.Folded(union, OwnerRun.firstSeq(slot));
        if (count == 1) {
            held = replacement;
        } else {
            ((Object[]) held)[index] = replacement;
        }
        current = fold(base, 0, count, rule);
        return true;
    }

    /** Replaces the run of one owner and second around {@code position} by its normal form. */
    private void foldRunAt(int position, boolean leasing, boolean foldDeltas) {
        Write w = writeAt(position);
        int start = position;
        while (start > 0 && OwnerRun.sameRun(writeAt(start - 1), w)) {
            start--;
        }
        int end = position + 1;
        while (end < count && OwnerRun.sameRun(writeAt(end), w)) {
            end++;
        }
        if (end - start < 2) {
            return;
        }
        Object[] run = new Object[end - start];
        for (int i = start; i < end; i++) {
            run[i - start] = slotAt(i);
        }
        Object[] folded = OwnerRun.normalForm(run, leasing, foldDeltas);
        if (folded.length == run.length && Arrays.equals(folded, run)) {
            return;
        }
        replaceRange(start, end, folded);
    }

    /** As {@link java.util.Collections#binarySearch}: the index, or (−(insertion point) − 1). */
    private int search(Write write) {
        int low = 0;
        int high = count - 1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            int c = MergeRule.WRITE_ORDER.compare(writeAt(mid), write);
            if (c < 0) {
                low = mid + 1;
            } else if (c > 0) {
                high = mid - 1;
            } else {
                return mid;
            }
        }
        return -(low + 1);
    }

    private void insertAt(int position, Object slot) {
        if (count == 0) {
            held = slot;
        } else if (count == 1) {
            Object only = held;
            Object[] a = new Object[4];
            a[position == 0 ? 1 : 0] = only;
            a[position] = slot;
            held = a;
        } else {
            Object[] a = (Object[]) held;
            if (count == a.length) {
                a = Arrays.copyOf(a, 2 * count);
                held = a;
            }
            System.arraycopy(a, position, a, position + 1, count - position);
            a[position] = slot;
        }
        count++;
    }

    /** Replaces the newest slot by {@code slot}, which stands for the same write. */
    private void replaceLast(Object slot) {
        if (count == 1) {
            held = slot;
        } else {
            ((Object[]) held)[count - 1] = slot;
        }
    }

    /** Replaces slots {@code [start, end)} by {@code slots} (no more of them than it replaces). */
    private void replaceRange(int start, int end, Object[] slots) {
        Object[] a = (Object[]) held; // a run of two or more means an array
        System.arraycopy(slots, 0, a, start, slots.length);
        int removed = end - start - slots.length;
        if (removed > 0) {
            System.arraycopy(a, end, a, start + slots.length, count - end);
            Arrays.fill(a, count - removed, count, null);
            count -= removed;
        }
        if (count == 1) {
            held = a[0];
        } else if (count == 0) {
            held = null;
        }
    }

    /** Drops the first {@code n} writes. */
    private void removeFirst(int n) {
        if (n == 0) {
            return;
        }
        int left = count - n;
        if (left == 0) {
            held = null;
        } else if (left == 1) {
            held = slotAt(count - 1);
        } else {
            Object[] a = (Object[]) held;
            System.arraycopy(a, n, a, 0, left);
            Arrays.fill(a, left, count, null);
        }
        count = left;
    }

    private Entry fold(Entry from, int start, int end, MergeRule rule) {
        Entry state = from;
        for (int i = start; i < end; i++) {
            state = rule.apply(state, writeAt(i)).state();
        }
        return state;
    }
}
