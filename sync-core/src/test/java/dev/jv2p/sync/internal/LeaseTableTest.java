package dev.jv2p.sync.internal;

import static dev.jv2p.sync.internal.Fixtures.T;
import static dev.jv2p.sync.internal.Fixtures.key;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jv2p.sync.internal.ApplyResult.Outcome;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The table of spec §12.6, replayed on a store. "bob" holds the key with a write at T; then a
 * second write arrives. js2p decides by arrival order and the receiver's clock; jv2p by merge
 * order and the writes' own timestamps, so three cells differ, marked "jv2p:" below:
 * <ul>
 *   <li>older store, other owner: in merge order the older write comes first. Without leasing
 *       bob's newer write then overrides it (same value as js2p, but the late write is
 *       SUPERSEDED rather than refused); with leasing the older write held the key first and
 *       keeps it, so it wins;</li>
 *   <li>same owner, older time: js2p takes the older write; jv2p replays bob's two writes in
 *       timestamp order, so bob's newer value stays;</li>
 *   <li>"lease older than 3600 s" means here that the second write is stamped more than
 *       3600 s after bob's, whatever the receiver's clock (see
 *       {@code SyncStoreTest#leaseExpiryIsJudgedByTheWritesTimestampsNotTheReceiversClock}).</li>
 * </ul>
 */
class LeaseTableTest {
    private static final Map<String, Object> OLD = Map.of("v", "old");
    private static final Map<String, Object> NEW = Map.of("v", "new");
    private static final Map<String, Object> MERGED = Map.of("v", "old", "d", 1L);

    static Stream<Arguments> table() {
        return Stream.of(
                // case,                         leasing, second write,                                  outcome,
                //        value
                Arguments.of(
                        "newer store, other owner",
                        false,
                        Fixtures.set("k", NEW, T + 10, "carol"),
                        Outcome.ACCEPTED,
                        NEW),
                Arguments.of(
                        "newer store, other owner",
                        true,
                        Fixtures.set("k", NEW, T + 10, "carol"),
                        Outcome.REFUSED_LEASE,
                        OLD),
                Arguments.of(
                        "older store (jv2p: superseded)",
                        false,
                        Fixtures.set("k", NEW, T - 10, "carol"),
                        Outcome.SUPERSEDED,
                        OLD),
                Arguments.of(
                        "older store (jv2p: held first, wins)",
                        true,
                        Fixtures.set("k", NEW, T - 10, "carol"),
                        Outcome.ACCEPTED,
                        NEW),
                Arguments.of(
                        "same second, smaller id", false, Fixtures.set("k", NEW, T, "alice"), Outcome.ACCEPTED, NEW),
                Arguments.of(
                        "same second, smaller id", true, Fixtures.set("k", NEW, T, "alice"), Outcome.ACCEPTED, NEW),
                Arguments.of(
                        "same second, larger id",
                        false,
                        Fixtures.set("k", NEW, T, "carol"),
                        Outcome.REFUSED_LEASE,
                        OLD),
                Arguments.of(
                        "same second, larger id", true, Fixtures.set("k", NEW, T, "carol"), Outcome.REFUSED_LEASE, OLD),
                Arguments.of(
                        "delta by other owner",
                        false,
                        Fixtures.delta("k", Map.of("d", 1), T + 10, "carol"),
                        Outcome.ACCEPTED,
                        MERGED),
                Arguments.of(
                        "delta by other owner",
                        true,
                        Fixtures.delta("k", Map.of("d", 1), T + 10, "carol"),
                        Outcome.REFUSED_LEASE,
                        OLD),
                Arguments.of(
                        "lease older than 3600 s",
                        false,
                        Fixtures.set("k", NEW, T + 3601, "carol"),
                        Outcome.ACCEPTED,
                        NEW),
                Arguments.of(
                        "lease older than 3600 s",
                        true,
                        Fixtures.set("k", NEW, T + 3601, "carol"),
                        Outcome.ACCEPTED,
                        NEW),
                Arguments.of(
                        "same owner, older time (jv2p: newer stays)",
                        false,
                        Fixtures.set("k", NEW, T - 10, "bob"),
                        Outcome.SUPERSEDED,
                        OLD),
                Arguments.of(
                        "same owner, older time (jv2p: newer stays)",
                        true,
                        Fixtures.set("k", NEW, T - 10, "bob"),
                        Outcome.SUPERSEDED,
                        OLD));
    }

    @ParameterizedTest(name = "{0}, leasing={1}: {3}")
    @MethodSource("table")
    void secondWriteAfterBobsWriteAtT(String scenario, boolean leasing, Write second, Outcome outcome, Object value) {
        SyncStore store = Fixtures.store(leasing);
        long now = T + 4000;
        store.apply(Fixtures.set("k", OLD, T, "bob"), now);

        ApplyResult result = store.apply(second, now);

        assertEquals(outcome, result.outcome(), scenario);
        assertEquals(value, store.get(key("k")), scenario);
    }

    @ParameterizedTest(name = "{0}, leasing={1}")
    @MethodSource("table")
    void theSameCellWhateverOrderTheTwoWritesArriveIn(
            String scenario, boolean leasing, Write second, Outcome outcome, Object value) {
        SyncStore store = Fixtures.store(leasing);
        long now = T + 4000;
        store.apply(second, now);
        store.apply(Fixtures.set("k", OLD, T, "bob"), now);

        assertEquals(value, store.get(key("k")), scenario);
    }
}
