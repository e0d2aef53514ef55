package dev.jv2p.mesh.spi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The value model every codec shares: what {@link Values#normalize} accepts and how values compare. */
class ValuesTest {

    private static final BigInteger TWO_TO_63 = BigInteger.ONE.shiftLeft(63);
    private static final BigInteger TWO_TO_64 = BigInteger.ONE.shiftLeft(64);

    @Test
    void keepsValuesThatAreAlreadyInTheModel() {
        for (Object v : Arrays.asList(null, true, 42L, 1.5, "text")) {
            assertSame(v, Values.normalize(v));
        }
    }

    @Test
    void widensSmallerIntegersToLong() {
        assertEquals(7L, Values.normalize(7));
        assertEquals(-7L, Values.normalize((short) -7));
        assertEquals(-128L, Values.normalize((byte) -128));
        assertInstanceOf(Long.class, Values.normalize(Integer.MAX_VALUE));
    }

    @Test
    void widensFloatToDoubleExactly() {
        assertEquals(1.5, Values.normalize(1.5f));
        assertEquals((double) 0.1f, Values.normalize(0.1f));
    }

    @Test
    void turnsBigIntegersWithinLongRangeIntoLong() {
        assertEquals(Long.MAX_VALUE, Values.normalize(BigInteger.valueOf(Long.MAX_VALUE)));
        assertEquals(Long.MIN_VALUE, Values.normalize(BigInteger.valueOf(Long.MIN_VALUE)));
    }

    @Test
    void keepsBigIntegerOnlyForTheUnsigned64BitRangeAboveLong() {
        assertEquals(TWO_TO_63, Values.normalize(TWO_TO_63));
        assertEquals(TWO_TO_64.subtract(BigInteger.ONE), Values.normalize(TWO_TO_64.subtract(BigInteger.ONE)));
    }

    @Test
    void refusesIntegersNoCodecCanCarry() {
        IllegalArgumentException tooBig =
                assertThrows(IllegalArgumentException.class, () -> Values.normalizeList(List.of(1, TWO_TO_64)));
        assertTrue(tooBig.getMessage().startsWith("packets[1] "), tooBig.getMessage());

        BigInteger belowLong = BigInteger.valueOf(Long.MIN_VALUE).subtract(BigInteger.ONE);
        assertThrows(IllegalArgumentException.class, () -> Values.normalize(belowLong));
    }

    @Test
    void copiesBytesSoTheCallerMayReuseItsArray() {
        byte[] original = {1, 2, 3};
        byte[] copy = (byte[]) Values.normalize(original);
        original[0] = 9;

        assertArrayEquals(new byte[] {1, 2, 3}, copy);
    }

    @Test
    void copiesListsAndMapsDeeplyIntoImmutableValues() {
        List<Object> inner = new ArrayList<>(List.of(1));
        List<Object> outer = new ArrayList<>(List.of(inner));

        @SuppressWarnings("unchecked")
        List<Object> normalized = (List<Object>) Values.normalize(outer);
        inner.add(2);

        assertEquals(List.of(List.of(1L)), normalized);
        assertThrows(UnsupportedOperationException.class, () -> normalized.add(3L));
        @SuppressWarnings("unchecked")
        Map<Object, Object> map = (Map<Object, Object>) Values.normalize(new HashMap<>(Map.of("k", 1)));
        assertThrows(UnsupportedOperationException.class, () -> map.put("x", 2L));
    }

    @Test
    void keepsTheInsertionOrderOfMaps() {
        Map<Object, Object> in = new LinkedHashMap<>();
        in.put("b", 1);
        in.put("a", 2);
        in.put("10", 3);

        @SuppressWarnings("unchecked")
        Map<Object, Object> out = (Map<Object, Object>) Values.normalize(in);

        assertEquals(List.of("b", "a", "10"), new ArrayList<>(out.keySet()));
    }

    @Test
    void turnsByteKeysIntoTheTextTheyEncode() {
        // byte[] has identity equality, so it cannot be a useful map key; js2p keys are strings.
        Map<Object, Object> in = new LinkedHashMap<>();
        in.put("é".getBytes(StandardCharsets.UTF_8), 1);

        @SuppressWarnings("unchecked")
        Map<Object, Object> out = (Map<Object, Object>) Values.normalize(in);

        assertEquals(Set.of("é"), out.keySet());
        assertEquals(1L, out.get("é"));
    }

    @Test
    void namesThePathOfAnUnsupportedElement() {
        IllegalArgumentException inList = assertThrows(
                IllegalArgumentException.class,
                () -> Values.normalizeList(List.of(1, List.of(new StringBuilder("x")))));
        assertTrue(
                inList.getMessage().startsWith("packets[1][0] has type java.lang.StringBuilder"), inList.getMessage());

        IllegalArgumentException asMapValue = assertThrows(
                IllegalArgumentException.class, () -> Values.normalizeList(List.of(Map.of("k", new Object()))));
        assertTrue(
                asMapValue.getMessage().startsWith("packets[0][k] has type java.lang.Object"), asMapValue.getMessage());

        IllegalArgumentException asMapKey = assertThrows(
                IllegalArgumentException.class, () -> Values.normalizeList(List.of(Map.of(new Object(), 1))));
        assertTrue(asMapKey.getMessage().startsWith("packets[0] key has type java.lang.Object"), asMapKey.getMessage());
    }

    @Test
    void acceptsSixtyFourLevelsBelowTheRootAndNoMore() {
        // The root is level 0, so 64 nested lists put the innermost number at level 64.
        assertEquals(64, depthOf(Values.normalize(nested(64))));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Values.normalize(nested(65)));
        assertTrue(e.getMessage().contains("deeper than 64"), e.getMessage());
    }

    @Test
    @SuppressWarnings("unchecked")
    void handsItsOwnOutputBackUnchangedAndStillCountsItsDepth() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("k", List.of(1, "two"));
        Object once = Values.normalize(List.of(map, new byte[] {1}, List.of()));
        assertSame(once, Values.normalize(once));
        assertEquals(3, Values.normalizedHeight(once)); // list > map > list > leaves
        assertEquals(0, Values.normalizedHeight(Values.normalize(List.of())));
        assertEquals(-1, Values.normalizedHeight(List.of(1L)));
        assertEquals(-1, Values.normalizedHeight("text"));
        Object innerMap = ((List<?>) once).get(0);
        assertSame(
                innerMap,
                ((List<?>) Values.normalize(List.of(innerMap))).get(0),
                "an element already normalized is not copied");
        assertThrows(UnsupportedOperationException.class, () -> ((List<Object>) once).add(1L));
        assertThrows(UnsupportedOperationException.class, () -> ((Map<Object, Object>) innerMap).put("x", 1L));

        // 60 levels normalized once, then wrapped in 5 more: 65 levels, refused like a fresh value
        Object sixty = Values.normalize(nested(60));
        assertEquals(60, Values.normalizedHeight(sixty));
        Object wrapped = sixty;
        for (int i = 0; i < 4; i++) {
            wrapped = List.of(wrapped);
        }
        assertEquals(64, depthOf(Values.normalize(wrapped)));
        Object tooDeep = List.of(wrapped);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Values.normalize(tooDeep));
        assertTrue(
                e.getMessage().startsWith("value[0][0][0][0][0] holds values nested deeper than 64"), e.getMessage());
    }

    @Test
    void refusesASelfContainingListInsteadOfOverflowingTheStack() {
        List<Object> loop = new ArrayList<>();
        loop.add(loop);

        assertThrows(IllegalArgumentException.class, () -> Values.normalize(loop));
    }

    @Test
    void comparesBytesByContent() {
        assertTrue(Values.deepEquals(new byte[] {1, 2}, new byte[] {1, 2}));
        assertFalse(Values.deepEquals(new byte[] {1, 2}, new byte[] {1, 3}));
        assertTrue(Values.deepEquals(List.of(Map.of("k", new byte[] {7})), List.of(Map.of("k", new byte[] {7}))));
    }

    @Test
    void comparesListsInOrderAndMapsAsMaps() {
        assertFalse(Values.deepEquals(List.of(1L, 2L), List.of(2L, 1L)));
        assertFalse(Values.deepEquals(List.of(1L), List.of(1L, 2L)));

        Map<Object, Object> ab = new LinkedHashMap<>();
        ab.put("a", 1L);
        ab.put("b", 2L);
        Map<Object, Object> ba = new LinkedHashMap<>();
        ba.put("b", 2L);
        ba.put("a", 1L);
        assertTrue(Values.deepEquals(ab, ba));
        assertFalse(Values.deepEquals(ab, Map.of("a", 1L)));
        assertFalse(Values.deepEquals(Map.of("a", 1L), Map.of("b", 1L)));
    }

    @Test
    void doesNotEquateDifferentBoxedTypesSoValuesMustBeNormalizedFirst() {
        assertFalse(Values.deepEquals(1L, 1));
        assertFalse(Values.deepEquals(1L, 1.0));
        assertTrue(Values.deepEquals(Values.normalize(1), 1L));
    }

    @Test
    void nullEqualsOnlyNull() {
        assertTrue(Values.deepEquals(null, null));
        assertFalse(Values.deepEquals(null, 0L));
        assertFalse(Values.deepEquals("", null));
    }

    @Test
    void hashesEqualValuesAlike() {
        Object a = List.of(new byte[] {1, 2}, Map.of("k", List.of(3L)), "s");
        Object b = List.of(new byte[] {1, 2}, Map.of("k", List.of(3L)), "s");

        assertNotSame(a, b);
        assertTrue(Values.deepEquals(a, b));
        assertEquals(Values.deepHashCode(a), Values.deepHashCode(b));
        assertEquals(0, Values.deepHashCode(null));
    }

    @Test
    void rendersBytesAsHexAndStringsQuoted() {
        Map<Object, Object> map = new LinkedHashMap<>();
        map.put("k", new byte[] {0x0f, (byte) 0xa0});

        assertEquals("[1, \"s\", {\"k\": bin(0fa0)}, null]", Values.toString(Arrays.asList(1L, "s", map, null)));
    }

    @Test
    void normalizeOfNullIsNull() {
        assertNull(Values.normalize(null));
    }

    /** {@code levels} lists, each holding the next; the innermost holds a number. */
    private static Object nested(int levels) {
        Object v = 1;
        for (int i = 0; i < levels; i++) {
            v = List.of(v);
        }
        return v;
    }

    private static int depthOf(Object v) {
        int depth = 0;
        while (v instanceof List<?> list) {
            depth++;
            v = list.get(0);
        }
        return depth;
    }
}
