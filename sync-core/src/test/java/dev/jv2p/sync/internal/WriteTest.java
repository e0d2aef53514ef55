package dev.jv2p.sync.internal;

import static dev.jv2p.sync.internal.Fixtures.at;
import static dev.jv2p.sync.internal.Fixtures.key;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WriteTest {
    @Test
    void aSetOfNullIsADelete() {
        Write w = Write.set(key("k"), null, at(1, "a"));

        assertEquals(Write.Kind.DELETE, w.kind());
        assertEquals(Write.delete(key("k"), at(1, "a")), w);
    }

    @Test
    void aDeleteCarriesNoValue() {
        assertThrows(IllegalArgumentException.class, () -> new Write(key("k"), Write.Kind.DELETE, 1L, at(1, "a")));
    }

    @Test
    void aDeltaCarriesAMap() {
        assertThrows(IllegalArgumentException.class, () -> new Write(key("k"), Write.Kind.DELTA, "x", at(1, "a")));
        assertThrows(IllegalArgumentException.class, () -> new Write(key("k"), Write.Kind.DELTA, null, at(1, "a")));
    }

    @Test
    void valuesAreNormalizedIntoTheValueModelAndDetachedFromTheCaller() {
        List<Object> list = new ArrayList<>(List.of(1, 2.5f));
        Write w = Write.set(key("k"), list, at(1, "a"));
        list.add("later");

        assertEquals(List.of(1L, 2.5d), w.value());
        assertThrows(IllegalArgumentException.class, () -> Write.set(key("k"), new Object(), at(1, "a")));
    }

    @Test
    void equalityComparesBytesByContent() {
        Write a = Write.set(key("k"), new byte[] {1, 2}, at(1, "a"));
        Write b = Write.set(key("k"), new byte[] {1, 2}, at(1, "a"));

        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertNotEquals(a, Write.set(key("k"), new byte[] {1, 3}, at(1, "a")));
        assertNotEquals(a, Write.set(key("k"), new byte[] {1, 2}, at(1, "a2")));
    }

    @Test
    void exposesOwnerAndTimestampOfItsStamp() {
        Write w = Write.delta(key("k"), Map.of("x", 1), new WriteStamp(9, "o", 2));

        assertEquals("o", w.owner());
        assertEquals(9, w.timestamp());
        assertNull(Write.delete(key("k"), at(1, "a")).value());
    }
}
