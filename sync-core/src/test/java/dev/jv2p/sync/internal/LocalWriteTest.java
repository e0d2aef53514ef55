package dev.jv2p.sync.internal;

import static dev.jv2p.sync.internal.Fixtures.T;
import static dev.jv2p.sync.internal.Fixtures.del;
import static dev.jv2p.sync.internal.Fixtures.key;
import static dev.jv2p.sync.internal.Fixtures.set;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jv2p.sync.Key;
import dev.jv2p.sync.LeaseConflictException;
import dev.jv2p.sync.SyncException;
import dev.jv2p.sync.internal.ApplyResult.Outcome;
import dev.jv2p.sync.internal.Write.Kind;
import org.junit.jupiter.api.Test;

/** {@link SyncStore#checkLocalWrite}: refuse before sending, and stamp what is sent. */
class LocalWriteTest {
    private final SyncStore lww = Fixtures.store(false);
    private final SyncStore leasing = Fixtures.store(true);

    private static void writeLocally(SyncStore store, String key, Object value, String owner, long now) {
        WriteStamp stamp = store.checkLocalWrite(Key.of(key), Kind.SET, owner, now);
        assertEquals(
                Outcome.ACCEPTED,
                store.apply(Write.set(Key.of(key), value, stamp), now).outcome());
    }

    @Test
    void theFirstWriteOfAKeyIsStampedNowWithSequenceZero() {
        assertEquals(new WriteStamp(T, "me", 0), lww.checkLocalWrite(key("k"), Kind.SET, "me", T));
    }

    @Test
    void writesInTheSameSecondGetIncreasingSequenceNumbersAndReplayInThatOrder() {
        writeLocally(lww, "k", "first", "me", T);
        WriteStamp second = lww.checkLocalWrite(key("k"), Kind.SET, "me", T);
        lww.apply(Write.set(key("k"), "second", second), T);

        assertEquals(new WriteStamp(T, "me", 1), second);
        assertEquals("second", lww.get(key("k")));
        assertEquals(new WriteStamp(T + 1, "me", 0), lww.checkLocalWrite(key("k"), Kind.SET, "me", T + 1));
    }

    @Test
    void afterTheClockStepsBackTheOwnersNextWriteStillComesAfterItsLastOne() {
        writeLocally(lww, "k", "first", "me", T + 8); // within the default skew of 10 s

        WriteStamp stamp = lww.checkLocalWrite(key("k"), Kind.SET, "me", T);

        assertEquals(new WriteStamp(T + 8, "me", 1), stamp);
        assertEquals(
                Outcome.ACCEPTED,
                lww.apply(Write.set(key("k"), "after", stamp), T).outcome());
        assertEquals("after", lww.get(key("k")));
    }

    @Test
    void aClockThatSteppedBackFurtherThanTheSkewCannotStampAWrite() {
        writeLocally(lww, "k", "first", "me", T + 11);

        assertThrows(SyncException.class, () -> lww.checkLocalWrite(key("k"), Kind.SET, "me", T));
    }

    @Test
    void withLeasingAnotherOwnersWriteIsRefusedNamingTheHolderAndWhenTheLeaseEnds() {
        leasing.apply(set("k", "bob's", T, "bob"), T);

        LeaseConflictException e = assertThrows(
                LeaseConflictException.class, () -> leasing.checkLocalWrite(key("k"), Kind.SET, "me", T + 3600));

        assertEquals(key("k"), e.key());
        assertEquals("bob", e.holder());
        assertEquals(T, e.leaseTimestamp());
        assertEquals(T + 3601, e.writableAt());
        assertEquals(
                new WriteStamp(T + 3601, "me", 0), leasing.checkLocalWrite(key("k"), Kind.SET, "me", e.writableAt()));
    }

    @Test
    void theHolderMayAlwaysWrite() {
        leasing.apply(set("k", "mine", T, "me"), T);

        assertEquals(new WriteStamp(T + 1, "me", 0), leasing.checkLocalWrite(key("k"), Kind.SET, "me", T + 1));
    }

    @Test
    void aDeleterHoldsTheKeyLikeAnyWriter() {
        leasing.apply(del("k", T, "bob"), T);

        assertThrows(LeaseConflictException.class, () -> leasing.checkLocalWrite(key("k"), Kind.SET, "me", T + 1));
    }

    @Test
    void withoutLeasingOnlyASameSecondWriteOfASmallerOwnerIdBlocks() {
        lww.apply(set("k", "a's", T, "a"), T);

        LeaseConflictException e =
                assertThrows(LeaseConflictException.class, () -> lww.checkLocalWrite(key("k"), Kind.SET, "me", T));

        assertEquals(T + 1, e.writableAt());
        assertEquals(new WriteStamp(T + 1, "me", 0), lww.checkLocalWrite(key("k"), Kind.SET, "me", T + 1));
        SyncStore other = Fixtures.store(false);
        other.apply(set("k", "me's", T, "me"), T);
        assertEquals(new WriteStamp(T, "a", 0), other.checkLocalWrite(key("k"), Kind.SET, "a", T));
    }

    @Test
    void aDeltaByAnotherOwnerPassesWithoutLeasingOnly() {
        lww.apply(set("k", java.util.Map.of(), T, "bob"), T);
        leasing.apply(set("k", java.util.Map.of(), T, "bob"), T);

        assertEquals(new WriteStamp(T, "me", 0), lww.checkLocalWrite(key("k"), Kind.DELTA, "me", T));
        assertThrows(LeaseConflictException.class, () -> leasing.checkLocalWrite(key("k"), Kind.DELTA, "me", T));
    }

    @Test
    void theCheckIsJudgedAtTheWritesPlaceNotAgainstFutureStampedWrites() {
        // carol's clock runs 30 s ahead; her write lands after mine in merge order
        leasing.apply(set("k", "carol's", T + 30, "carol"), T);

        WriteStamp stamp = leasing.checkLocalWrite(key("k"), Kind.SET, "me", T);

        assertEquals(new WriteStamp(T, "me", 0), stamp);
        leasing.apply(Write.set(key("k"), "mine", stamp), T);
        assertEquals("mine", leasing.get(key("k")), "I held the key first, so carol's write is refused");
    }

    @Test
    void checkingChangesNothing() {
        lww.apply(set("k", "v", T, "bob"), T);
        StoreDigest digest = lww.digest();

        lww.checkLocalWrite(key("k"), Kind.SET, "me", T + 5);

        assertEquals(digest, lww.digest());
        assertEquals(1, lww.history(key("k")).orElseThrow().writes().size());
    }
}
