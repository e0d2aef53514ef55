package dev.jv2p.sync.internal;

import static dev.jv2p.sync.internal.Fixtures.T;
import static dev.jv2p.sync.internal.Fixtures.set;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jv2p.sync.Key;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BucketDigestTest {

    @Test
    void storesHoldingTheSameEntriesDigestAlikeWhateverTheArrivalOrder() {
        List<Write> writes = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            writes.add(set("k" + (i % 700), "v" + i, T + i / 700, "bob"));
        }
        SyncStore a = Fixtures.store(false);
        SyncStore b = Fixtures.store(false);
        writes.forEach(w -> a.apply(w, T + 5));
        a.bucketDigest(); // a cached digest is recomputed where it changed
        List<Write> shuffled = new ArrayList<>(writes);
        Collections.shuffle(shuffled, new Random(7));
        shuffled.forEach(w -> b.apply(w, T + 5));

        assertEquals(a.bucketDigest(), b.bucketDigest());
        b.apply(set("k1", "other", T + 3, "bob"), T + 5);
        assertEquals(1, a.bucketDigest().differingBuckets(b.bucketDigest()).length);
    }

    /**
     * The attack the XOR digest allows: among 80 entries of one bucket, Gaussian elimination
     * over GF(2) finds a set whose 64-bit hashes XOR to zero, so a store holding exactly those
     * entries has the same XOR digest as an empty one. The bucket digest tells them apart.
     */
    @Test
    void entriesChosenToCancelUnderXorDoNotCancelInTheBucketDigest() {
        List<Entry> candidates = new ArrayList<>();
        for (int i = 0; candidates.size() < 80; i++) {
            Key key = Key.of("grind-" + i);
            if (StoreDigest.bucketOf(key) == 0) {
                candidates.add(new Entry(key, "v", Fixtures.at(T, "mallory")));
            }
        }
        BitSet subset = zeroXorSubset(candidates);
        SyncStore forged = Fixtures.store(false);
        for (int i = subset.nextSetBit(0); i >= 0; i = subset.nextSetBit(i + 1)) {
            Entry e = candidates.get(i);
            forged.apply(Write.set(e.key(), e.value(), e.stamp()), T);
        }
        SyncStore empty = Fixtures.store(false);

        assertFalse(subset.isEmpty());
        assertEquals(empty.digest(), forged.digest(), "the XOR digest is fooled");
        assertArrayEquals(new int[] {0}, empty.bucketDigest().differingBuckets(forged.bucketDigest()));
    }

    @Test
    void aDifferingBucketNarrowsToTheKeysThatDiffer() {
        SyncStore a = Fixtures.store(false);
        SyncStore b = Fixtures.store(false);
        for (int i = 0; i < 5000; i++) {
            a.apply(set("k" + i, i, T, "bob"), T);
            b.apply(set("k" + i, i, T, "bob"), T);
        }
        a.apply(set("k17", "changed", T + 1, "bob"), T + 1);
        b.apply(set("only-b", 1, T + 1, "carol"), T + 1);
        a.apply(set("only-a", 1, T + 1, "carol"), T + 1);
        Set<Integer> buckets = new HashSet<>();
        for (int bucket : a.bucketDigest().differingBuckets(b.bucketDigest())) {
            buckets.add(bucket);
        }

        Set<Long> differing = KeySummary.differing(a.summariesIn(buckets), b.summariesIn(buckets));

        assertEquals(Set.of(keyHash("k17"), keyHash("only-a"), keyHash("only-b")), differing);
        a.historiesOfKeyHashes(differing).forEach(h -> b.importHistory(h, T + 1));
        b.historiesOfKeyHashes(differing).forEach(h -> a.importHistory(h, T + 1));
        assertEquals(a.bucketDigest(), b.bucketDigest());
        assertEquals(a.allEntries(), b.allEntries());
    }

    @Test
    void aPeersDigestMustHoldOneHashOfTheRightLengthPerBucket() {
        List<byte[]> good = Collections.nCopies(StoreDigest.BUCKETS, new byte[BucketDigest.HASH_BYTES]);
        assertEquals(BucketDigest.of(good), BucketDigest.of(new ArrayList<>(good)));
        assertThrows(IllegalArgumentException.class, () -> BucketDigest.of(good.subList(0, 7)));
        List<byte[]> shortOne = new ArrayList<>(good);
        shortOne.set(3, new byte[4]);
        assertThrows(IllegalArgumentException.class, () -> BucketDigest.of(shortOne));
        assertNotEquals(BucketDigest.of(good), Fixtures.store(false).bucketDigest());
    }

    private static long keyHash(String key) {
        return StoreDigest.keyHash(Key.of(key));
    }

    /** A non-empty set of candidates whose 64-bit entry hashes XOR to zero (65 or more always have one). */
    private static BitSet zeroXorSubset(List<Entry> candidates) {
        long[] basis = new long[64];
        BitSet[] made = new BitSet[64];
        for (int i = 0; i < candidates.size(); i++) {
            long v = StoreDigest.entryHash(candidates.get(i)).high();
            BitSet from = new BitSet();
            from.set(i);
            for (int bit = 63; bit >= 0 && v != 0; bit--) {
                if ((v >>> bit & 1) == 0) {
                    continue;
                }
                if (basis[bit] == 0) {
                    basis[bit] = v;
                    made[bit] = from;
                    v = 0;
                    from = null;
                    break;
                }
                v ^= basis[bit];
                from.xor(made[bit]);
            }
            if (from != null && v == 0) {
                return from;
            }
        }
        throw new AssertionError("no dependent set among " + candidates.size() + " candidates");
    }
}
