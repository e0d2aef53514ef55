package dev.jv2p.sync.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jv2p.sync.Key;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Folded deltas travel with their last sequence number only. A node that received one owner's
 * same-second deltas 0, 1, 2, 4 and 5 (3 was lost) holds two folds, 0–2 and 4–5; a peer that
 * received all six holds one fold, 0–5, stamped like the node's 4–5. Taking the peer's fold for a
 * duplicate left the node without the entries of 3 for good: anti-entropy found the key
 * different every round and every repair was dropped. Found by the soak (a hot map key, one
 * node short of some fields, seed 6 of a 600-second run).
 */
class FoldedGapTest {
    private static final Key K = Key.of("hot-map");
    private static final long T = 1_800_000_000L;

    @Test
    void aPeersFoldReachingBackPastAGapFillsIt() {
        SyncStore complete = store();
        SyncStore gapped = store();
        for (long seq = 0; seq <= 5; seq++) {
            Write delta = Write.delta(K, Map.of("f" + seq, seq), new WriteStamp(T, "owner", seq));
            complete.apply(delta, T);
            if (seq != 3) {
                gapped.apply(delta, T);
            }
        }
        assertEquals(1, complete.history(K).orElseThrow().writes().size(), "the complete run folds into one");

        gapped.importHistory(complete.history(K).orElseThrow(), T);

        assertEquals(complete.get(K), gapped.get(K));
        assertEquals(complete.bucketDigest(), gapped.bucketDigest());
    }

    @Test
    void aPlainDuplicateOfAFoldedDeltaChangesNothing() {
        SyncStore store = store();
        for (long seq = 0; seq <= 3; seq++) {
            store.apply(Write.delta(K, Map.of("f" + seq, seq), new WriteStamp(T, "owner", seq)), T);
        }
        Object before = store.get(K);
        ApplyResult again = store.apply(Write.delta(K, Map.of("f2", 2L), new WriteStamp(T, "owner", 2)), T);
        assertEquals(before, store.get(K));
        assertEquals(ApplyResult.Outcome.DUPLICATE, again.outcome());
    }

    private static SyncStore store() {
        return new SyncStore(SyncStoreConfig.builder()
                .leasing(false)
                .retention(Duration.ofHours(1))
                .build());
    }
}
