package dev.jv2p.sync.internal;

import dev.jv2p.sync.Key;
import java.util.Arrays;
import java.util.List;

/**
 * The retained history of one key: a base state (the fold of every write stamped before
 * {@code horizon}) and the writes since, sorted in merge order. The key's state is the fold of
 * the retained writes over the base. Not thread-safe; owned by {@link SyncStore}.
 */
final class KeyLog {
    private final Key key;
    private final long keyHash;
    private long horizon;
    private Entry base;
    /**
     * The writes since the base, in merge order, held without a list object: {@code null}
     * while there are none, the {@link Write} itself while there is one (most keys), else a
     * {@code Write[]} whose first {@link #count} slots are used. Saves about 48 bytes a key.
     */
    private Object held;
    private int count;
    private Entry current;
    /** This key's contribution to its digest bucket; 0 while the key has no state. */
    private long entryHash;

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
        if (count == 0) {
            return List.of();
        }
        return held instanceof Write w ? List.of(w) : List.of(Arrays.copyOf((Write[]) held, count));
    }

    /** How many writes are held after the base. */
    int writeCount() {
        return count;
    }

    Entry current() {
        return current;
    }

    long entryHash() {
        return entryHash;
    }

    void entryHash(long hash) {
        entryHash = hash;
    }

    /**
     * Adds {@code write} (stamped at or after the horizon) and refolds.
     *
     * @return what the rule did with the write at its place in merge order, or {@code null} if
     *     this very write is already held
     */
    MergeRule.Verdict insert(Write write, MergeRule rule) {
        int at = search(write);
        if (at >= 0) {
            return null;
        }
        int position = -at - 1;
        insertAt(position, write);
        if (position == count - 1) {
            // the common case, a write newer than everything held: one step, no replay
            MergeRule.Step step = rule.apply(current, write);
            current = step.state();
            return step.verdict();
        }
        Entry state = fold(base, 0, position, rule);
        MergeRule.Step step = rule.apply(state, write);
        current = fold(step.state(), position + 1, count, rule);
        return step.verdict();
    }

    /** The state a write stamped {@code stamp} would meet: the fold of everything ordered before it. */
    Entry stateBefore(WriteStamp stamp, MergeRule rule) {
        int end = 0;
        while (end < count && writeAt(end).stamp().compareTo(stamp) < 0) {
            end++;
        }
        return fold(base, 0, end, rule);
    }

    /** Folds the writes stamped before {@code newHorizon} into the base. Leaves the state as it was. */
    void compact(long newHorizon, MergeRule rule) {
        if (newHorizon <= horizon) {
            return;
        }
        int end = 0;
        while (end < count && writeAt(end).timestamp() < newHorizon) {
            end++;
        }
        if (end > 0) { // usually none: every key is visited on every collection
            base = fold(base, 0, end, rule);
            removeFirst(end);
        }
        horizon = newHorizon;
    }

    /**
     * Keeps at most {@code maxWrites} writes by moving the horizon past the oldest ones. The
     * horizon is a whole second, so writes sharing the second of the last one dropped go too.
     */
    void enforceCap(int maxWrites, MergeRule rule) {
        if (count > maxWrites) {
            compact(writeAt(count - maxWrites - 1).timestamp() + 1, rule);
        }
    }

    /**
     * Replaces the base and horizon by a peer's, which already folds every write before
     * {@code newHorizon}; the writes held here before that horizon are dropped as folded in.
     */
    void adopt(Entry newBase, long newHorizon, MergeRule rule) {
        int end = 0;
        while (end < count && writeAt(end).timestamp() < newHorizon) {
            end++;
        }
        removeFirst(end);
        base = newBase;
        horizon = newHorizon;
        current = fold(base, 0, count, rule);
    }

    /**
     * The stamp for {@code owner}'s next write at {@code now}: after every write of that owner
     * held for this key, so a jv2p owner's writes replay in the order it made them even within
     * one second or when its clock steps back.
     */
    WriteStamp nextStamp(String owner, long now) {
        WriteStamp last = base != null && base.stamp().owner().equals(owner) ? base.stamp() : null;
        for (int i = 0; i < count; i++) {
            Write w = writeAt(i);
            if (w.owner().equals(owner) && (last == null || w.stamp().compareTo(last) > 0)) {
                last = w.stamp();
            }
        }
        if (last == null || last.timestamp() < now) {
            return new WriteStamp(now, owner, 0);
        }
        return new WriteStamp(last.timestamp(), owner, last.seq() + 1);
    }

    private Write writeAt(int i) {
        return held instanceof Write w ? w : ((Write[]) held)[i];
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

    private void insertAt(int position, Write write) {
        if (count == 0) {
            held = write;
        } else if (count == 1) {
            Write only = (Write) held;
            Write[] a = new Write[4];
            a[position == 0 ? 1 : 0] = only;
            a[position] = write;
            held = a;
        } else {
            Write[] a = (Write[]) held;
            if (count == a.length) {
                a = Arrays.copyOf(a, 2 * count);
                held = a;
            }
            System.arraycopy(a, position, a, position + 1, count - position);
            a[position] = write;
        }
        count++;
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
            held = writeAt(count - 1);
        } else {
            Write[] a = (Write[]) held;
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
