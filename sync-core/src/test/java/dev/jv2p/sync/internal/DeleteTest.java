package dev.jv2p.sync.internal;

import static dev.jv2p.sync.internal.Fixtures.T;
import static dev.jv2p.sync.internal.Fixtures.del;
import static dev.jv2p.sync.internal.Fixtures.key;
import static dev.jv2p.sync.internal.Fixtures.set;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jv2p.sync.internal.ApplyResult.Outcome;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A delete stays deleted when older writes or transfers arrive after it. */
class DeleteTest {
    @ParameterizedTest(name = "leasing={0}")
    @ValueSource(booleans = {false, true})
    void aLateOlderWriteOfTheDeleterDoesNotUndoTheDelete(boolean leasing) {
        SyncStore store = Fixtures.store(leasing);
        store.apply(del("k", T + 10, "bob"), T + 10);

        ApplyResult late = store.apply(set("k", "old", T, "bob"), T + 11);

        assertEquals(Outcome.SUPERSEDED, late.outcome());
        assertNull(store.get(key("k")));
    }

    @ParameterizedTest(name = "leasing={0}")
    @ValueSource(booleans = {false, true})
    void aLateOlderWriteOfAnotherOwnerDoesNotUndoTheDeleteOfTheHolder(boolean leasing) {
        SyncStore store = Fixtures.store(leasing);
        store.apply(set("k", "bob's", T, "bob"), T);
        store.apply(del("k", T + 10, "bob"), T + 10);

        ApplyResult late = store.apply(set("k", "carol's", T + 5, "carol"), T + 11);

        // with leasing bob held the key at T+5; without, bob's delete is newer
        assertEquals(leasing ? Outcome.REFUSED_LEASE : Outcome.SUPERSEDED, late.outcome());
        assertNull(store.get(key("k")));
        assertEquals(Optional.empty(), late.change());
    }

    @ParameterizedTest(name = "leasing={0}")
    @ValueSource(booleans = {false, true})
    void theHistoryOfANodeThatMissedTheDeleteDoesNotUndoIt(boolean leasing) {
        SyncStore stalePeer = Fixtures.store(leasing);
        SyncStore store = Fixtures.store(leasing);
        stalePeer.apply(set("k", "v", T, "bob"), T);
        store.apply(set("k", "v", T, "bob"), T);
        store.apply(del("k", T + 10, "bob"), T + 10);

        Optional<Change> change =
                store.importHistory(stalePeer.history(key("k")).orElseThrow(), T + 20);
        stalePeer.importHistory(store.history(key("k")).orElseThrow(), T + 20);

        assertEquals(Optional.empty(), change);
        assertNull(store.get(key("k")));
        assertNull(stalePeer.get(key("k")), "the stale peer learns the delete instead");
    }

    @ParameterizedTest(name = "leasing={0}")
    @ValueSource(booleans = {false, true})
    void aJs2pStyleTransferOfTheOldValueDoesNotUndoTheDelete(boolean leasing) {
        SyncStore store = Fixtures.store(leasing);
        store.apply(set("k", "v", T, "bob"), T);
        store.apply(del("k", T + 10, "bob"), T + 10);

        // a js2p join transfer: value, owner, timestamp, no sequence number
        ApplyResult transfer = store.apply(Write.set(key("k"), "v", WriteStamp.of(T, "bob")), T + 20);

        assertEquals(Outcome.DUPLICATE, transfer.outcome());
        assertNull(store.get(key("k")));
    }

    @ParameterizedTest(name = "leasing={0}")
    @ValueSource(booleans = {false, true})
    void aStalePeersHistoryAfterTheTombstoneWasCollectedIsRefused(boolean leasing) {
        SyncStore stalePeer = Fixtures.shortWindows(leasing);
        SyncStore store = Fixtures.shortWindows(leasing);
        stalePeer.apply(set("k", "v", T, "bob"), T);
        store.apply(set("k", "v", T, "bob"), T);
        store.apply(del("k", T + 10, "bob"), T + 10);
        assertEquals(1, store.collectGarbage(T + 2000));

        store.importHistory(stalePeer.history(key("k")).orElseThrow(), T + 2000);
        stalePeer.collectGarbage(T + 2000);
        store.importHistory(stalePeer.history(key("k")).orElseThrow(), T + 2000);

        assertTrue(store.entry(key("k")).isEmpty());
    }
}
