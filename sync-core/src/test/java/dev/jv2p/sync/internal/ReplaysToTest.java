package dev.jv2p.sync.internal;

import static dev.jv2p.sync.internal.Fixtures.T;
import static dev.jv2p.sync.internal.Fixtures.delta;
import static dev.jv2p.sync.internal.Fixtures.key;
import static dev.jv2p.sync.internal.Fixtures.set;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link SyncStore#replaysTo}: what a receiver in a mesh that signs writes checks before it
 * takes a base folded from deltas on the strength of the signed writes sent with it.
 */
class ReplaysToTest {
    private final Write set = set("k", Map.of("base", 1L), T, "alice");
    private final Write fromBob = delta("k", Map.of("b", 2L), T + 10, "bob");
    private final Write fromAlice = delta("k", Map.of("a", 3L), T + 20, "alice");

    private static Entry entry(Object value, long timestamp, String owner) {
        return new Entry(key("k"), value, Fixtures.at(timestamp, owner));
    }

    @Test
    void aSetAndTheDeltasAfterItEstablishTheirFold() {
        SyncStore store = Fixtures.store(false);
        Entry base = entry(Map.of("base", 1L, "b", 2L, "a", 3L), T + 20, "alice");
        assertTrue(store.replaysTo(List.of(set, fromBob, fromAlice), base));
    }

    @Test
    void aClaimedBaseTheWritesDoNotYieldIsRefused() {
        SyncStore store = Fixtures.store(false);
        // a value the writes never produced, a stamp not the last write's, a tombstone for a value
        assertFalse(store.replaysTo(
                List.of(set, fromBob, fromAlice),
                entry(Map.of("base", 1L, "b", 2L, "a", 3L, "forged", 4L), T + 20, "alice")));
        assertFalse(store.replaysTo(
                List.of(set, fromBob, fromAlice), entry(Map.of("base", 1L, "b", 2L, "a", 3L), T + 20, "bob")));
        assertFalse(store.replaysTo(List.of(set, fromBob, fromAlice), entry(null, T + 20, "alice")));
        // a chain that leaves out the set cannot stand for a base holding its entries
        assertFalse(store.replaysTo(
                List.of(fromBob, fromAlice), entry(Map.of("base", 1L, "b", 2L, "a", 3L), T + 20, "alice")));
    }

    @Test
    void writesOutOfMergeOrderOrTwiceAreRefused() {
        SyncStore store = Fixtures.store(false);
        Entry base = entry(Map.of("base", 1L, "b", 2L, "a", 3L), T + 20, "alice");
        assertFalse(store.replaysTo(List.of(set, fromAlice, fromBob), base));
        assertFalse(store.replaysTo(List.of(set, fromBob, fromBob, fromAlice), base));
    }

    @Test
    void aWriteTheLeaseRuleRefusesCannotBeSmuggledIntoABase() {
        SyncStore store = Fixtures.store(true);
        // with leasing, bob's delta ten seconds into alice's lease was refused where it arrived
        Entry claimed = entry(Map.of("base", 1L, "b", 2L), T + 10, "bob");
        assertFalse(store.replaysTo(List.of(set, fromBob), claimed));
        assertTrue(store.replaysTo(List.of(set, fromAlice), entry(Map.of("base", 1L, "a", 3L), T + 20, "alice")));
    }
}
