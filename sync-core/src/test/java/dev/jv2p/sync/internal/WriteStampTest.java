package dev.jv2p.sync.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jv2p.sync.MetaTuple;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class WriteStampTest {
    @Test
    void ordersByTimestampThenOwnerThenSeq() {
        List<WriteStamp> sorted = List.of(
                new WriteStamp(10, "b", 5),
                new WriteStamp(11, "a", 0),
                new WriteStamp(11, "b", 0),
                new WriteStamp(11, "b", 1),
                new WriteStamp(12, "a", 0));
        List<WriteStamp> shuffled = new ArrayList<>(sorted);
        java.util.Collections.reverse(shuffled);
        shuffled.sort(null);

        assertEquals(sorted, shuffled);
    }

    @Test
    void ownersCompareAsJavaStringsLikeJs2pDoes() {
        // UTF-16 code unit order: 'Z' (0x5A) < 'a' (0x61), and a prefix sorts first
        assertTrue(new WriteStamp(1, "Z", 0).compareTo(new WriteStamp(1, "a", 0)) < 0);
        assertTrue(new WriteStamp(1, "ab", 0).compareTo(new WriteStamp(1, "abc", 0)) < 0);
    }

    @Test
    void sharedStampsOfOneOwnerAndSecondAreOneObjectAndStillChecked() {
        WriteStamp first = WriteStamp.shared(7, new String("owner-x"), 0);
        WriteStamp again = WriteStamp.shared(7, new String("owner-x"), 0);
        WriteStamp nextSeq = WriteStamp.shared(7, "owner-x", 1);

        assertSame(first, again);
        assertEquals(new WriteStamp(7, "owner-x", 1), nextSeq);
        assertNotSame(first, nextSeq);
        assertEquals(new WriteStamp(8, "owner-y", 0), WriteStamp.shared(8, "owner-y", 0));
        assertThrows(IllegalArgumentException.class, () -> WriteStamp.shared(7, "owner-x", -1));
    }

    @Test
    void js2pWritesHaveSequenceNumberZero() {
        assertEquals(new WriteStamp(7, "n", 0), WriteStamp.of(7, "n"));
    }

    @Test
    void metaDropsTheSequenceNumber() {
        assertEquals(new MetaTuple("n", 7), new WriteStamp(7, "n", 3).meta());
    }

    @Test
    void refusesTimesJs2pCannotCarryAndNegativeSequenceNumbers() {
        assertThrows(IllegalArgumentException.class, () -> new WriteStamp(-1, "n", 0));
        assertThrows(IllegalArgumentException.class, () -> new WriteStamp(WriteStamp.MAX_TIMESTAMP + 1, "n", 0));
        assertThrows(IllegalArgumentException.class, () -> new WriteStamp(1, "n", -1));
        assertThrows(NullPointerException.class, () -> new WriteStamp(1, null, 0));
    }
}
