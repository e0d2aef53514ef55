package dev.jv2p.sync.internal;

import static dev.jv2p.sync.internal.Fixtures.T;
import static dev.jv2p.sync.internal.Fixtures.del;
import static dev.jv2p.sync.internal.Fixtures.key;
import static dev.jv2p.sync.internal.Fixtures.set;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jv2p.sync.LeaseConflictException;
import org.junit.jupiter.api.Test;

/** The figures a store reports for status: tombstones, estimated bytes, local lease conflicts. */
class StoreFiguresTest {
    @Test
    void estimatedBytesFollowTheLiveKeysAndValues() {
        SyncStore store = Fixtures.store(false);
        store.apply(set("ab", "xyz", T, "bob"), T);
        long one = store.estimatedBytes();
        assertEquals(2 + ValueSizes.estimate("xyz"), one);

        store.apply(set("ab", "a much longer value", T + 1, "bob"), T + 1);
        assertEquals(2 + ValueSizes.estimate("a much longer value"), store.estimatedBytes());

        store.apply(del("ab", T + 2, "bob"), T + 2);
        assertEquals(0, store.estimatedBytes());
    }

    @Test
    void aDeleteLeavesATombstoneUntilItIsCollected() {
        SyncStore store = Fixtures.shortWindows(false);
        store.apply(set("k", "v", T, "bob"), T);
        store.apply(del("k", T + 1, "bob"), T + 1);
        assertEquals(1, store.tombstones());
        assertEquals(0, store.size());

        store.apply(set("k", "back", T + 2, "bob"), T + 2);
        assertEquals(0, store.tombstones());
        store.apply(del("k", T + 3, "bob"), T + 3);

        assertEquals(1, store.collectGarbage(T + 3 + 1101));
        assertEquals(0, store.tombstones());
    }

    @Test
    void aLocalWriteRefusedByAnotherOwnersLeaseIsCounted() {
        SyncStore store = Fixtures.store(true);
        store.apply(set("k", "v", T, "bob"), T);
        assertEquals(0, store.localLeaseConflicts());

        assertThrows(
                LeaseConflictException.class, () -> store.checkLocalWrite(key("k"), Write.Kind.SET, "carol", T + 5));
        assertEquals(1, store.localLeaseConflicts());
        store.checkLocalWrite(key("k"), Write.Kind.SET, "bob", T + 5);
        assertEquals(1, store.localLeaseConflicts());
    }

    @Test
    void writesMergedAndWritesRefusedByALeaseAreCounted() {
        SyncStore store = Fixtures.store(true);
        store.apply(set("k", "bob's", T, "bob"), T);
        store.apply(set("k", "bob's again", T + 1, "bob"), T + 1);
        assertEquals(2, store.writesMerged());
        assertEquals(0, store.leaseRefusals());

        store.apply(set("k", "carol's", T + 2, "carol"), T + 2);
        assertEquals(1, store.leaseRefusals());
        store.apply(set("k", "carol's", T + 2, "carol"), T + 3); // the same write again: a duplicate
        assertEquals(1, store.leaseRefusals());
        assertEquals(2, store.writesMerged());
    }

    @Test
    void historyWritesCountTheWritesHeldUntilTheRetentionCompactsThem() {
        SyncStore store = Fixtures.shortWindows(false);
        long retention = store.config().retentionSeconds();
        store.apply(set("a", "1", T, "bob"), T);
        store.apply(set("a", "2", T + 1, "bob"), T + 1);
        store.apply(set("b", "x", T + 1, "carol"), T + 1);
        store.apply(del("b", T + 2, "carol"), T + 2);
        assertEquals(4, store.historyWrites());

        store.collectGarbage(T + 2 + retention);
        assertEquals(1, store.historyWrites(), "the writes older than the retention are folded into bases");
        store.collectGarbage(T + 3 + retention);
        assertEquals(0, store.historyWrites());
    }
}
