package dev.jv2p.sync.internal;

import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/** The lists a {@link SyncStore} hands out: entries, and histories made as they are read. */
final class StoreViews {
    private StoreViews() {}

    /** A view making each history when it is read (a transfer holds one reference per key, not a copy). */
    static List<KeyHistory> histories(List<KeyLog> logs) {
        return new AbstractList<>() {
            @Override
            public KeyHistory get(int index) {
                return history(logs.get(index));
            }

            @Override
            public int size() {
                return logs.size();
            }
        };
    }

    /** The histories of the logs whose key hash is in {@code keyHashes}, ordered by key. */
    static List<KeyHistory> historiesOfKeyHashes(Collection<KeyLog> logs, Set<Long> keyHashes) {
        List<KeyLog> out = new ArrayList<>();
        for (KeyLog log : logs) {
            if (keyHashes.contains(log.keyHash())) {
                out.add(log);
            }
        }
        out.sort(Comparator.comparing(KeyLog::key));
        return histories(out);
    }

    /** The writes held after the bases of {@code logs}. */
    static long historyWrites(Collection<KeyLog> logs) {
        long n = 0;
        for (KeyLog log : logs) {
            n += log.writeCount();
        }
        return n;
    }

    /** {@code logs}, sorted by key. */
    static List<KeyLog> byKey(List<KeyLog> logs) {
        logs.sort(Comparator.comparing(KeyLog::key));
        return logs;
    }

    static KeyHistory history(KeyLog log) {
        return new KeyHistory(log.key(), log.horizon(), log.base(), log.writes());
    }

    /** The logs of keys in the given digest buckets, ordered by key. */
    static List<KeyLog> inBuckets(Collection<KeyLog> logs, Set<Integer> buckets) {
        List<KeyLog> out = new ArrayList<>();
        for (KeyLog log : logs) {
            if (buckets.contains(StoreDigest.bucketOf(log.keyHash()))) {
                out.add(log);
            }
        }
        out.sort(Comparator.comparing(KeyLog::key));
        return out;
    }

    /** The states held, with or without tombstones, ordered by key. */
    static List<Entry> entries(Collection<KeyLog> from, boolean tombstones) {
        List<Entry> out = new ArrayList<>();
        for (KeyLog log : from) {
            Entry e = log.current();
            if (e != null && (tombstones || !e.isTombstone())) {
                out.add(e);
            }
        }
        out.sort(Comparator.comparing(Entry::key));
        return out;
    }
}
