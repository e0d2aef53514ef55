package dev.jv2p.sync.internal;

import static dev.jv2p.sync.internal.Fixtures.T;
import static dev.jv2p.sync.internal.Fixtures.del;
import static dev.jv2p.sync.internal.Fixtures.delta;
import static dev.jv2p.sync.internal.Fixtures.key;
import static dev.jv2p.sync.internal.Fixtures.set;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jv2p.sync.MetaTuple;
import dev.jv2p.sync.internal.ApplyResult.Outcome;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Spec §12.5: a delta is a shallow merge of a map into the key's map. */
class DeltaTest {
    private final SyncStore lww = Fixtures.store(false);
    private final SyncStore leasing = Fixtures.store(true);

    @Test
    void aDeltaOnAnAbsentKeyStartsFromAnEmptyMap() {
        ApplyResult result = lww.apply(delta("k", Map.of("a", 1), T, "bob"), T);

        assertEquals(Outcome.ACCEPTED, result.outcome());
        assertEquals(Map.of("a", 1L), lww.get(key("k")));
    }

    @Test
    void aDeltaOverwritesAndAddsTopLevelEntriesOnly() {
        lww.apply(set("k", Map.of("keep", 1, "change", 2, "nested", Map.of("x", 1, "y", 2)), T, "bob"), T);

        ApplyResult result =
                lww.apply(delta("k", Map.of("change", 3, "add", 4, "nested", Map.of("x", 9)), T + 1, "carol"), T + 1);

        Map<String, Object> merged = Map.of("keep", 1L, "change", 3L, "add", 4L, "nested", Map.of("x", 9L));
        assertEquals(merged, lww.get(key("k")));
        assertEquals(
                Optional.of(new Change.Update(key("k"), merged, new MetaTuple("carol", T + 1))),
                result.change(),
                "the update carries the whole merged map");
    }

    @Test
    void aNilEntrySetsTheSubKeyToNilRatherThanRemovingIt() {
        lww.apply(set("k", Map.of("a", 1), T, "bob"), T);
        Map<String, Object> nil = new HashMap<>();
        nil.put("a", null);

        lww.apply(delta("k", nil, T + 1, "bob"), T + 1);

        assertEquals(nil, lww.get(key("k")));
    }

    @Test
    void aDeltaOnADeletedKeyStartsFromAnEmptyMap() {
        lww.apply(set("k", Map.of("old", 1), T, "bob"), T);
        lww.apply(del("k", T + 1, "bob"), T + 1);

        lww.apply(delta("k", Map.of("new", 2), T + 2, "bob"), T + 2);

        assertEquals(Map.of("new", 2L), lww.get(key("k")));
    }

    @Test
    void aDeltaOnAValueThatIsNotAMapChangesNeitherValueNorMetadata() {
        lww.apply(set("k", "text", T, "bob"), T);

        ApplyResult result = lww.apply(delta("k", Map.of("a", 1), T + 1, "carol"), T + 1);

        assertEquals(Outcome.IGNORED, result.outcome());
        assertEquals("text", lww.get(key("k")));
        assertEquals(new MetaTuple("bob", T), lww.entry(key("k")).orElseThrow().meta());
    }

    @Test
    void anIgnoredDeltaIsKeptAndTakesEffectWhenALateWriteMakesTheValueAMap() {
        lww.apply(set("k", "text", T, "bob"), T);
        lww.apply(delta("k", Map.of("a", 1), T + 2, "bob"), T + 2);

        lww.apply(set("k", Map.of("z", 0), T + 1, "bob"), T + 3);

        assertEquals(Map.of("z", 0L, "a", 1L), lww.get(key("k")));
    }

    @Test
    void anOlderDeltaArrivingLateIsAppliedBeforeTheNewerSetNotOntoIt() {
        lww.apply(set("k", Map.of("s", 1), T + 10, "bob"), T + 10);

        ApplyResult late = lww.apply(delta("k", Map.of("d", 1), T, "carol"), T + 11);

        assertEquals(Outcome.SUPERSEDED, late.outcome());
        assertEquals(Map.of("s", 1L), lww.get(key("k")));
    }

    @Test
    void withLeasingOnlyTheHolderMayApplyADelta() {
        leasing.apply(set("k", Map.of("a", 1), T, "bob"), T);

        assertEquals(
                Outcome.REFUSED_LEASE,
                leasing.apply(delta("k", Map.of("b", 2), T + 1, "carol"), T + 1).outcome());
        assertEquals(
                Outcome.ACCEPTED,
                leasing.apply(delta("k", Map.of("c", 3), T + 2, "bob"), T + 2).outcome());
        assertEquals(Map.of("a", 1L, "c", 3L), leasing.get(key("k")));
    }

    @Test
    void withoutLeasingAnyOwnersDeltaPassesEvenAgainstANewerSameSecondWrite() {
        lww.apply(set("k", Map.of("a", 1), T, "alice"), T);

        lww.apply(delta("k", Map.of("b", 2), T, "zed"), T);

        assertEquals(Map.of("a", 1L, "b", 2L), lww.get(key("k")));
    }
}
