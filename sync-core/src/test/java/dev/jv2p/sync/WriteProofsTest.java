package dev.jv2p.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jv2p.sync.internal.SyncStore;
import dev.jv2p.sync.internal.SyncStoreConfig;
import dev.jv2p.sync.internal.Write;
import dev.jv2p.sync.internal.WriteLeaf;
import dev.jv2p.sync.internal.WriteStamp;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link WriteProofs#retain} runs on the event loop every anti-entropy round: it must forget the
 * proofs of writes the store no longer holds, without visiting every key each round.
 */
class WriteProofsTest {
    private static final String PROTOCOL = "test-protocol";
    private static final long T = 1_700_000_000L;
    private static final long DAY = 24 * 3600;
    private static final int KEYS = 40_000;

    private final SyncStore store =
            new SyncStore(SyncStoreConfig.builder().leasing(false).build());
    private final WriteProofs proofs = new WriteProofs(PROTOCOL);

    @Test
    void aRoundChecksTheKeysWrittenSinceTheLastAndASliceOfTheRest() {
        List<Write[]> written = writeTwicePerKey();
        int slice = -Math.floorDiv(-KEYS, WriteProofs.SWEEP_ROUNDS);

        int first = proofs.retain(store);
        assertTrue(first >= KEYS, "the keys that gained proofs are all checked: " + first);
        for (int round = 0; round < WriteProofs.SWEEP_ROUNDS; round++) {
            int checked = proofs.retain(store);
            assertTrue(checked <= slice, "round " + round + " checked " + checked + " keys of " + KEYS);
        }
        proofs.remember(written.get(7)[1], WriteLeaf.of(PROTOCOL, written.get(7)[1]), new byte[] {9});
        assertTrue(proofs.retain(store) <= slice + 1, "a new proof adds its key to the round");
    }

    @Test
    void proofsOfWritesCompactedAwayAreForgottenWithinTwoSweeps() {
        List<Write[]> written = writeTwicePerKey();
        proofs.retain(store);
        for (Write[] w : written) {
            assertTrue(proofs.proofOf(w[0]).isPresent(), "both writes are in the history: both proofs kept");
        }

        store.collectGarbage(T + DAY + 10); // both writes fold into the base, the second sets it
        for (int round = 0; round < 2 * WriteProofs.SWEEP_ROUNDS; round++) {
            proofs.retain(store);
        }

        for (Write[] w : written) {
            assertTrue(proofs.proofOf(w[0]).isEmpty(), "the first write left the store: its proof goes");
            assertTrue(proofs.proofOf(w[1]).isPresent(), "the base's write keeps its proof");
        }
        assertEquals(KEYS, proofs.keys());
    }

    @Test
    void proofsOfKeysTheStoreNoLongerHoldsAreForgotten() {
        List<Write> deletes = new ArrayList<>();
        for (int i = 0; i < KEYS; i++) {
            Write d = Write.delete(Key.of("k" + i), new WriteStamp(T, "a", 0));
            store.apply(d, T);
            proofs.remember(d, WriteLeaf.of(PROTOCOL, d), new byte[] {1});
            deletes.add(d);
        }
        proofs.retain(store);
        assertEquals(KEYS, proofs.keys());

        store.collectGarbage(T + 3 * DAY); // the tombstones are older than retention and lease: buried
        assertEquals(0, store.size());
        for (int round = 0; round < 2 * WriteProofs.SWEEP_ROUNDS; round++) {
            proofs.retain(store);
        }

        assertEquals(0, proofs.keys());
        assertTrue(proofs.proofOf(deletes.get(0)).isEmpty());
    }

    /** Two sets of every key, a second apart, each with a proof. */
    private List<Write[]> writeTwicePerKey() {
        List<Write[]> written = new ArrayList<>(KEYS);
        for (int i = 0; i < KEYS; i++) {
            Key key = Key.of("k" + i);
            Write first = Write.set(key, "v" + i, new WriteStamp(T, "a", 0));
            Write second = Write.set(key, "w" + i, new WriteStamp(T + 1, "a", 0));
            for (Write w : List.of(first, second)) {
                store.apply(w, T + 1);
                proofs.remember(w, WriteLeaf.of(PROTOCOL, w), new byte[] {(byte) i});
            }
            written.add(new Write[] {first, second});
        }
        return written;
    }
}
