package dev.jv2p.sync;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.SortedMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * Entries in key order as the {@link SortedMap} that {@link ConcurrentSkipListMap}'s copy
 * constructor builds from in one pass (it reads {@link #comparator} and iterates, nothing
 * else); not a map for anyone else, so the range views are not offered. Inside an {@code
 * AbstractMap} "Entry" means {@code Map.Entry}: the store's entry is named in full.
 */
final class SortedEntries extends AbstractMap<Key, dev.jv2p.sync.internal.Entry>
        implements SortedMap<Key, dev.jv2p.sync.internal.Entry> {
    private static final String NO_RANGES =
            "SortedEntries only feeds ConcurrentSkipListMap's copy constructor: it has no range views";

    private final List<dev.jv2p.sync.internal.Entry> sorted;

    SortedEntries(List<dev.jv2p.sync.internal.Entry> sorted) {
        this.sorted = sorted;
    }

    @Override
    public Comparator<? super Key> comparator() {
        return null; // the keys' natural order
    }

    @Override
    public Set<Map.Entry<Key, dev.jv2p.sync.internal.Entry>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<Map.Entry<Key, dev.jv2p.sync.internal.Entry>> iterator() {
                Iterator<dev.jv2p.sync.internal.Entry> it = sorted.iterator();
                return new Iterator<>() {
                    @Override
                    public boolean hasNext() {
                        return it.hasNext();
                    }

                    @Override
                    public Map.Entry<Key, dev.jv2p.sync.internal.Entry> next() {
                        dev.jv2p.sync.internal.Entry e = it.next();
                        return Map.entry(e.key(), e);
                    }
                };
            }

            @Override
            public int size() {
                return sorted.size();
            }
        };
    }

    @Override
    public Key firstKey() {
        if (sorted.isEmpty()) {
            throw new NoSuchElementException("no entries");
        }
        return sorted.get(0).key();
    }

    @Override
    public Key lastKey() {
        if (sorted.isEmpty()) {
            throw new NoSuchElementException("no entries");
        }
        return sorted.get(sorted.size() - 1).key();
    }

    @Override
    public SortedMap<Key, dev.jv2p.sync.internal.Entry> subMap(Key fromKey, Key toKey) {
        throw new UnsupportedOperationException(NO_RANGES);
    }

    @Override
    public SortedMap<Key, dev.jv2p.sync.internal.Entry> headMap(Key toKey) {
        throw new UnsupportedOperationException(NO_RANGES);
    }

    @Override
    public SortedMap<Key, dev.jv2p.sync.internal.Entry> tailMap(Key fromKey) {
        throw new UnsupportedOperationException(NO_RANGES);
    }
}
