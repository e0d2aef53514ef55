package dev.jv2p.sync.internal.persist;

import dev.jv2p.sync.Key;
import dev.jv2p.sync.internal.Entry;
import dev.jv2p.sync.internal.SyncStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The live entries of a store after a load, in key order, for the node's read view: those of
 * the snapshot (in key order already) where the log replayed after it changed nothing, the
 * store's state of the keys it changed. A million keys are merged in one pass instead of sorted.
 */
final class LiveEntries {
    private LiveEntries() {}

    /**
     * @param snapshot the live entries restored from the snapshot, in key order
     * @param changed the keys the log's records may have changed since
     */
    static List<Entry> merge(List<Entry> snapshot, Set<Key> changed, SyncStore store) {
        if (changed.isEmpty()) {
            return snapshot;
        }
        List<Entry> out = new ArrayList<>(snapshot.size() + changed.size());
        TreeSet<Key> pending = new TreeSet<>(changed);
        for (Entry e : snapshot) {
            while (!pending.isEmpty() && pending.first().compareTo(e.key()) < 0) {
                addLive(out, pending.pollFirst(), store);
            }
            if (!pending.isEmpty() && pending.first().equals(e.key())) {
                addLive(out, pending.pollFirst(), store);
            } else {
                out.add(e);
            }
        }
        for (Key k : pending) {
            addLive(out, k, store);
        }
        return out;
    }

    private static void addLive(List<Entry> out, Key key, SyncStore store) {
        store.entry(key).filter(e -> !e.isTombstone()).ifPresent(out::add);
    }
}
