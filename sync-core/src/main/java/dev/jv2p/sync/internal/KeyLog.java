package dev.jv2p.sync.internal;

import dev.jv2p.sync.Key;
import java.util.ArrayList;
import java.util.Collections;
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
    private final ArrayList<Write> writes = new ArrayList<>(2);
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
        return Collections.unmodifiableList(writes);
    }

    /** How many writes are held after the base. */
    int writeCount() {
        return writes.size();
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
        int at = Collections.binarySearch(writes, write, MergeRule.WRITE_ORDER);
        if (at >= 0) {
            return null;
        }
        int position = -at - 1;
        writes.add(position, write);
        if (position == writes.size() - 1) {
            // the common case, a write newer than everything held: one step, no replay
            MergeRule.Step step = rule.apply(current, write);
            current = step.state();
            return step.verdict();
        }
        Entry state = fold(base, 0, position, rule);
        MergeRule.Step step = rule.apply(state, write);
        current = fold(step.state(), position + 1, writes.size(), rule);
        return step.verdict();
    }

    /** The state a write stamped {@code stamp} would meet: the fold of everything ordered before it. */
    Entry stateBefore(WriteStamp stamp, MergeRule rule) {
        int end = 0;
        while (end < writes.size() && writes.get(end).stamp().compareTo(stamp) < 0) {
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
        while (end < writes.size() && writes.get(end).timestamp() < newHorizon) {
            end++;
        }
        if (end > 0) { // usually none: every key is visited on every collection
            base = fold(base, 0, end, rule);
            writes.subList(0, end).clear();
        }
        horizon = newHorizon;
    }

    /**
     * Keeps at most {@code maxWrites} writes by moving the horizon past the oldest ones. The
     * horizon is a whole second, so writes sharing the second of the last one dropped go too.
     */
    void enforceCap(int maxWrites, MergeRule rule) {
        if (writes.size() > maxWrites) {
            compact(writes.get(writes.size() - maxWrites - 1).timestamp() + 1, rule);
        }
    }

    /**
     * Replaces the base and horizon by a peer's, which already folds every write before
     * {@code newHorizon}; the writes held here before that horizon are dropped as folded in.
     */
    void adopt(Entry newBase, long newHorizon, MergeRule rule) {
        int end = 0;
        while (end < writes.size() && writes.get(end).timestamp() < newHorizon) {
            end++;
        }
        writes.subList(0, end).clear();
        base = newBase;
        horizon = newHorizon;
        current = fold(base, 0, writes.size(), rule);
    }

    /**
     * The stamp for {@code owner}'s next write at {@code now}: after every write of that owner
     * held for this key, so a jv2p owner's writes replay in the order it made them even within
     * one second or when its clock steps back.
     */
    WriteStamp nextStamp(String owner, long now) {
        WriteStamp last = base != null && base.stamp().owner().equals(owner) ? base.stamp() : null;
        for (Write w : writes) {
            if (w.owner().equals(owner) && (last == null || w.stamp().compareTo(last) > 0)) {
                last = w.stamp();
            }
        }
        if (last == null || last.timestamp() < now) {
            return new WriteStamp(now, owner, 0);
        }
        return new WriteStamp(last.timestamp(), owner, last.seq() + 1);
    }

    private Entry fold(Entry from, int start, int end, MergeRule rule) {
        Entry state = from;
        for (int i = start; i < end; i++) {
            state = rule.apply(state, writes.get(i)).state();
        }
        return state;
    }
}
