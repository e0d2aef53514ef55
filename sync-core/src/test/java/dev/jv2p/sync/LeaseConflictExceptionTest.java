package dev.jv2p.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LeaseConflictExceptionTest {
    @Test
    void saysWhichKeyWhoHoldsItAndUntilWhen() {
        LeaseConflictException e = new LeaseConflictException(Key.of("color"), "me", "holder", 1000, 4601);

        assertEquals(Key.of("color"), e.key());
        assertEquals("holder", e.holder());
        assertEquals(1000, e.leaseTimestamp());
        assertEquals(4601, e.writableAt());
        assertTrue(e.getMessage().contains("color"), e.getMessage());
        assertTrue(e.getMessage().contains("holder"), e.getMessage());
        assertTrue(e.getMessage().contains("4601"), e.getMessage());
    }

    @Test
    void isAnUncheckedSyncException() {
        assertInstanceOf(SyncException.class, new LeaseConflictException(Key.of("k"), "a", "b", 1, 2));
        assertInstanceOf(RuntimeException.class, new SyncException("x"));
    }

    @Test
    void metaTupleIsAValue() {
        assertEquals(new MetaTuple("a", 5), new MetaTuple("a", 5));
    }
}
