package dev.jv2p.sync.internal;

import static dev.jv2p.sync.internal.Fixtures.at;
import static dev.jv2p.sync.internal.Fixtures.key;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jv2p.sync.internal.Write.Kind;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The lease rule of spec §12.6, one rule per test, with "now" being the incoming write's timestamp. */
class MergeRuleTest {
    private static final MergeRule LEASING = new MergeRule(true, 3600);
    private static final MergeRule LWW = new MergeRule(false, 3600);
    private static final Entry HELD_BY_BOB = new Entry(key("k"), "v", at(10_000, "bob"));

    @Test
    void rule1AnyWritePassesWhenTheKeyHasNoMetadata() {
        assertTrue(LEASING.allows(null, Kind.SET, "anyone", 0));
        assertTrue(LEASING.allows(null, Kind.DELTA, "anyone", 0));
    }

    @Test
    void rule2TheHolderMayAlwaysWriteEvenBackInTime() {
        assertTrue(LEASING.allows(HELD_BY_BOB, Kind.SET, "bob", 1));
        assertTrue(LEASING.allows(HELD_BY_BOB, Kind.DELTA, "bob", 10_001));
    }

    @Test
    void rule3ADeltaByAnotherOwnerPassesOnlyWithoutLeasing() {
        assertTrue(LWW.allows(HELD_BY_BOB, Kind.DELTA, "carol", 9_000));
        assertFalse(LEASING.allows(HELD_BY_BOB, Kind.DELTA, "carol", 10_001));
    }

    @Test
    void rule4TheLeaseEndsOneLeaseDurationAfterTheHoldersWrite() {
        assertFalse(LEASING.allows(HELD_BY_BOB, Kind.SET, "carol", 13_600), "exactly 3600 s later: still held");
        assertTrue(LEASING.allows(HELD_BY_BOB, Kind.SET, "carol", 13_601));
        assertTrue(LEASING.allows(HELD_BY_BOB, Kind.DELTA, "carol", 13_601));
    }

    @Test
    void rule5SameSecondTheSmallerOwnerIdWins() {
        assertTrue(LEASING.allows(HELD_BY_BOB, Kind.SET, "alice", 10_000));
        assertFalse(LEASING.allows(HELD_BY_BOB, Kind.SET, "carol", 10_000));
        assertFalse(LWW.allows(HELD_BY_BOB, Kind.SET, "carol", 10_000));
    }

    @Test
    void rule6ANewerWritePassesOnlyWithoutLeasing() {
        assertTrue(LWW.allows(HELD_BY_BOB, Kind.SET, "carol", 10_001));
        assertTrue(LWW.allows(HELD_BY_BOB, Kind.DELETE, "carol", 10_001));
        assertFalse(LEASING.allows(HELD_BY_BOB, Kind.SET, "carol", 10_001));
        assertFalse(LWW.allows(HELD_BY_BOB, Kind.SET, "carol", 9_999), "an older write by another owner");
    }

    @Test
    void aTombstoneHoldsTheLeaseOfItsDeleter() {
        Entry deleted = new Entry(key("k"), null, at(10_000, "bob"));

        assertFalse(LEASING.allows(deleted, Kind.SET, "carol", 10_001));
        assertTrue(LEASING.allows(deleted, Kind.SET, "bob", 10_001));
    }

    @Test
    void writableAtIsTheFirstSecondAnotherOwnerPasses() {
        assertEquals(13_601, LEASING.writableAt(HELD_BY_BOB));
        assertEquals(10_001, LWW.writableAt(HELD_BY_BOB));
        assertTrue(LEASING.allows(HELD_BY_BOB, Kind.SET, "zed", LEASING.writableAt(HELD_BY_BOB)));
        assertTrue(LWW.allows(HELD_BY_BOB, Kind.SET, "zed", LWW.writableAt(HELD_BY_BOB)));
    }

    @Test
    void aRefusedWriteLeavesTheStateAsItWas() {
        MergeRule.Step step = LEASING.apply(HELD_BY_BOB, Fixtures.set("k", "x", 10_001, "carol"));

        assertEquals(MergeRule.Verdict.REFUSED, step.verdict());
        assertSame(HELD_BY_BOB, step.state());
    }

    @Test
    void aPassingWriteSetsValueAndStamp() {
        MergeRule.Step set = LWW.apply(HELD_BY_BOB, Fixtures.set("k", "x", 10_001, "carol"));
        MergeRule.Step delete = LWW.apply(HELD_BY_BOB, Fixtures.del("k", 10_001, "carol"));

        assertEquals(new Entry(key("k"), "x", at(10_001, "carol")), set.state());
        assertEquals(MergeRule.Verdict.TAKEN, set.verdict());
        assertNull(delete.state().value());
        assertEquals(at(10_001, "carol"), delete.state().stamp());
    }

    @Test
    void aDeltaOntoANonMapHasNoEffectAtAll() {
        MergeRule.Step step = LWW.apply(HELD_BY_BOB, Fixtures.delta("k", Map.of("a", 1), 10_001, "carol"));

        assertEquals(MergeRule.Verdict.NO_EFFECT, step.verdict());
        assertSame(HELD_BY_BOB, step.state());
    }
}
