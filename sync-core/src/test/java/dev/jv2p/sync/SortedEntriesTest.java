package dev.jv2p.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jv2p.sync.internal.Entry;
import dev.jv2p.sync.internal.WriteStamp;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.ConcurrentSkipListMap;
import org.junit.jupiter.api.Test;

/**
 * The sorted source the read view is built from: the copy it feeds holds every entry in order;
 * what it does not offer says so, and an empty one follows {@code SortedMap}'s contract.
 */
class SortedEntriesTest {
    private static Entry entry(String key) {
        return new Entry(Key.of(key), "v-" + key, new WriteStamp(1, "me", 0));
    }

    @Test
    void aSkipListCopiedFromItHoldsEveryEntryInOrder() {
        SortedEntries source = new SortedEntries(List.of(entry("a"), entry("b"), entry("c")));
        ConcurrentSkipListMap<Key, Entry> copy = new ConcurrentSkipListMap<>(source);
        assertEquals(List.of(Key.of("a"), Key.of("b"), Key.of("c")), List.copyOf(copy.keySet()));
        assertEquals("v-b", copy.get(Key.of("b")).value());
        assertEquals(Key.of("a"), source.firstKey());
        assertEquals(Key.of("c"), source.lastKey());
    }

    @Test
    void rangeViewsAreRefusedWithAReason() {
        SortedEntries source = new SortedEntries(List.of(entry("a")));
        for (Runnable call : List.<Runnable>of(
                () -> source.subMap(Key.of("a"), Key.of("b")),
                () -> source.headMap(Key.of("b")),
                () -> source.tailMap(Key.of("a")))) {
            UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, call::run);
            assertTrue(e.getMessage().contains("no range views"), e.getMessage());
        }
    }

    @Test
    void anEmptyOneHasNoFirstOrLastKey() {
        SortedEntries empty = new SortedEntries(List.of());
        assertThrows(NoSuchElementException.class, empty::firstKey);
        assertThrows(NoSuchElementException.class, empty::lastKey);
        assertTrue(new ConcurrentSkipListMap<>(empty).isEmpty());
    }
}
