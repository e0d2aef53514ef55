package dev.jv2p.sync.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A store's digests, kept up to date as its keys change: the XOR digest older jv2p peers read
 * ({@link StoreDigest}) and the collision-resistant {@link BucketDigest}, whose bucket hashes
 * are recomputed only for buckets changed since they were last read; and the per-key summaries
 * that narrow a differing bucket. Owned by {@link SyncStore}; not thread-safe.
 */
final class StoreDigests {
    private final long[] xor = new long[StoreDigest.BUCKETS];
    /** The {@link BucketDigest} of each bucket as last computed, and which buckets changed since. */
    private final byte[][] bucketHashes = new byte[StoreDigest.BUCKETS][];

    private final boolean[] dirty = new boolean[StoreDigest.BUCKETS];

    StoreDigests() {
        Arrays.fill(bucketHashes, BucketDigest.EMPTY);
    }

    /** {@code log}'s state became {@code after} ({@code null}: none): its entry hash follows. */
    void changed(KeyLog log, Entry after) {
        BucketDigest.EntryHash hash = after == null ? null : StoreDigest.entryHash(after);
        int bucket = StoreDigest.bucketOf(log.keyHash());
        xor[bucket] ^= log.entryHash() ^ (hash == null ? 0 : hash.high());
        dirty[bucket] = true;
        log.entryHash(hash);
    }

    /** {@code log} was restored with the entry hash a snapshot kept for its state. */
    void restored(KeyLog log, long high, long low) {
        int bucket = StoreDigest.bucketOf(log.keyHash());
        xor[bucket] ^= high;
        dirty[bucket] = true;
        log.entryHash(new BucketDigest.EntryHash(high, low));
    }

    /** {@code log}'s key is forgotten (a collected tombstone). */
    void removed(KeyLog log) {
        int bucket = StoreDigest.bucketOf(log.keyHash());
        xor[bucket] ^= log.entryHash();
        dirty[bucket] = true;
    }

    StoreDigest xor() {
        return StoreDigest.of(xor);
    }

    BucketDigest buckets(Collection<KeyLog> logs) {
        List<List<BucketDigest.EntryHash>> changed = new ArrayList<>(StoreDigest.BUCKETS);
        boolean any = false;
        for (int b = 0; b < StoreDigest.BUCKETS; b++) {
            changed.add(dirty[b] ? new ArrayList<>() : null);
            any |= dirty[b];
        }
        if (any) {
            for (KeyLog log : logs) {
                List<BucketDigest.EntryHash> into = changed.get(StoreDigest.bucketOf(log.keyHash()));
                if (into != null && log.current() != null) {
                    into.add(log.fullEntryHash());
                }
            }
            for (int b = 0; b < StoreDigest.BUCKETS; b++) {
                if (changed.get(b) != null) {
                    BucketDigest.EntryHash[] hashes = changed.get(b).toArray(new BucketDigest.EntryHash[0]);
                    bucketHashes[b] = BucketDigest.hashOf(hashes, hashes.length);
                    dirty[b] = false;
                }
            }
        }
        byte[][] copy = new byte[StoreDigest.BUCKETS][];
        for (int b = 0; b < copy.length; b++) {
            copy[b] = bucketHashes[b].clone();
        }
        return BucketDigest.wrap(copy);
    }

    static List<KeySummary> summariesIn(Collection<KeyLog> logs, Set<Integer> buckets) {
        List<KeySummary> out = new ArrayList<>();
        for (KeyLog log : logs) {
            if (log.current() != null && buckets.contains(StoreDigest.bucketOf(log.keyHash()))) {
                out.add(new KeySummary(log.keyHash(), log.fullEntryHash()));
            }
        }
        out.sort(
                Comparator.comparing(KeySummary::keyHash, Long::compareUnsigned).thenComparing(KeySummary::entryHash));
        return out;
    }

    static Set<Long> differingKeyHashes(List<KeySummary> mine, List<KeySummary> theirs) {
        Map<Long, BucketDigest.EntryHash> index = new HashMap<>();
        for (KeySummary s : mine) {
            index.put(s.keyHash(), s.entryHash());
        }
        Set<Long> out = new TreeSet<>(Long::compareUnsigned);
        for (KeySummary s : theirs) {
            BucketDigest.EntryHash m = index.remove(s.keyHash());
            if (!s.entryHash().equals(m)) {
                out.add(s.keyHash());
            }
        }
        out.addAll(index.keySet());
        return out;
    }
}
