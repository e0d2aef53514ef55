package dev.jv2p.sync;

import dev.jv2p.sync.internal.Change;
import dev.jv2p.sync.internal.Entry;
import dev.jv2p.sync.internal.SyncStore;
import dev.jv2p.sync.internal.WriteStamp;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * What readers of a {@link SyncSocket} see: the store's current entries of the keys that hold
 * values (the very objects, not copies), and the provisional entries of writes queued by other
 * threads. Reads never block; the event loop keeps it in step with the store, and a thread
 * queuing a write shows its value here at once.
 */
final class ReadView {
    /** Replaced once, by {@link #fill}, before the node is handed to anyone. */
    private volatile ConcurrentSkipListMap<Key, Entry> entries = new ConcurrentSkipListMap<>();
    /**
     * Per key, the writes other threads have queued and the loop has not yet applied; guarded by
     * this. While a key has one, the loop's changes to it do not replace the provisional entry,
     * so a thread reads its own latest write even when the loop applies an earlier one meanwhile.
     */
    private final Map<Key, Integer> queued = new HashMap<>();

    Object get(Key key, Object fallback) {
        Entry e = entries.get(key);
        return e == null ? fallback : e.value();
    }

    Optional<MetaTuple> meta(Key key) {
        return Optional.ofNullable(entries.get(key)).map(Entry::meta);
    }

    /** The entry readers see for {@code key}, or null. */
    Entry entry(Key key) {
        return entries.get(key);
    }

    boolean containsKey(Key key) {
        return entries.containsKey(key);
    }

    int size() {
        return entries.size();
    }

    List<Key> keys() {
        return new ArrayList<>(entries.keySet());
    }

    List<Object> values() {
        List<Object> out = new ArrayList<>(entries.size());
        for (Entry e : entries.values()) {
            out.add(e.value());
        }
        return out;
    }

    List<Map.Entry<Key, Object>> items() {
        List<Map.Entry<Key, Object>> out = new ArrayList<>(entries.size());
        for (Map.Entry<Key, Entry> e : entries.entrySet()) {
            out.add(Map.entry(e.getKey(), e.getValue().value()));
        }
        return out;
    }

    /** The first key in byte order with its entry, or null when no key holds a value. */
    Map.Entry<Key, Entry> first() {
        return entries.firstEntry();
    }

    /**
     * Shows a loaded store's live entries, given in key order, in this empty view; before the
     * node serves anyone. A skip list built from sorted entries takes one pass; a million
     * {@code put}s would each search it.
     */
    synchronized void fill(List<Entry> sorted) {
        if (!entries.isEmpty()) {
            throw new IllegalStateException("the read view is filled already");
        }
        entries = new ConcurrentSkipListMap<>(new SortedEntries(sorted));
    }

    /** Shows a write queued by the caller's thread before the loop has applied it. */
    synchronized void showQueued(Key key, Object value, WriteStamp provisional) {
        queued.merge(key, 1, Integer::sum);
        if (value == null) {
            entries.remove(key);
        } else {
            entries.put(key, new Entry(key, value, provisional));
        }
    }

    /** Shows a change the loop has applied to {@code store}; on the event loop. */
    synchronized void show(Change change, SyncStore store) {
        if (queued.containsKey(change.key())) {
            return; // a thread's later write is shown; its settling shows the merged state
        }
        if (change instanceof Change.Update u) {
            entries.put(u.key(), store.entry(u.key()).orElseThrow());
        } else {
            entries.remove(change.key());
        }
    }

    /**
     * One queued write of {@code key} has been applied (or refused) on the loop: unless a later
     * one still waits, shows the key's merged state in {@code store}, replacing the provisional
     * entry; on the event loop.
     */
    synchronized void showSettled(Key key, SyncStore store) {
        if (queued.merge(key, -1, Integer::sum) > 0) {
            return;
        }
        queued.remove(key);
        showMerged(key, store);
    }

    /** A queued write of {@code key} will not reach the loop (the node is closing). */
    synchronized void unqueue(Key key) {
        if (queued.merge(key, -1, Integer::sum) <= 0) {
            queued.remove(key);
        }
    }

    /** Shows {@code key}'s merged state in {@code store}; on the event loop. */
    synchronized void showMerged(Key key, SyncStore store) {
        Entry current = store.entry(key).filter(e -> !e.isTombstone()).orElse(null);
        // Usually the store's own entry is already there (the loop has just shown it).
        if (entries.get(key) != current) {
            if (current == null) {
                entries.remove(key);
            } else {
                entries.put(key, current);
            }
        }
    }

    /** A live read-only {@link Map} view; its mutators throw {@link UnsupportedOperationException}. */
    Map<Key, Object> asMap() {
        return new AbstractMap<>() {
            @Override
            public Set<Map.Entry<Key, Object>> entrySet() {
                return new AbstractSet<>() {
                    @Override
                    public Iterator<Map.Entry<Key, Object>> iterator() {
                        // Inside an AbstractMap "Entry" means Map.Entry: the store's entry is named in full.
                        Iterator<Map.Entry<Key, dev.jv2p.sync.internal.Entry>> it =
                                entries.entrySet().iterator();
                        return new Iterator<>() {
                            @Override
                            public boolean hasNext() {
                                return it.hasNext();
                            }

                            @Override
                            public Map.Entry<Key, Object> next() {
                                Map.Entry<Key, dev.jv2p.sync.internal.Entry> e = it.next();
                                return Map.entry(e.getKey(), e.getValue().value());
                            }
                        };
                    }

                    @Override
                    public int size() {
                        return entries.size();
                    }
                };
            }

            @Override
            public Object get(Object key) {
                return isKey(key) ? ReadView.this.get(SyncSocket.toKey(key), null) : null;
            }

            @Override
            public boolean containsKey(Object key) {
                return isKey(key) && entries.containsKey(SyncSocket.toKey(key));
            }
        };
    }

    private static boolean isKey(Object key) {
        return key instanceof Key || key instanceof String || key instanceof byte[];
    }
}
