package dev.jv2p.sync.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jv2p.mesh.spi.Values;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CanonicalTest {
    private static final List<Object> DISTINCT = List.of(
            "",
            "a",
            "ab",
            "\ud800",
            "\udc00",
            0L,
            1L,
            -1L,
            Long.MAX_VALUE,
            0.0d,
            -0.0d,
            1.0d,
            Double.NaN,
            true,
            false,
            new byte[0],
            new byte[] {1},
            new byte[] {1, 0},
            List.of(),
            List.of(1L),
            List.of(List.of()),
            Map.of(),
            Map.of("a", 1L),
            Map.of("a", 2L),
            Map.of("b", 1L),
            Map.of(1L, "a"),
            new BigInteger("18446744073709551615"));

    @Test
    void mapsEncodeTheSameWhateverTheirIterationOrder() {
        Map<Object, Object> ab = new LinkedHashMap<>();
        ab.put("a", 1L);
        ab.put("b", List.of(new byte[] {7}));
        Map<Object, Object> ba = new LinkedHashMap<>();
        ba.put("b", List.of(new byte[] {7}));
        ba.put("a", 1L);

        assertArrayEquals(Canonical.encode(ab), Canonical.encode(ba));
        assertEquals(0, Canonical.compare(ab, ba));
    }

    @Test
    void distinctValuesEncodeDistinctlyAndTheOrderIsConsistentWithDeepEquals() {
        for (Object a : DISTINCT) {
            for (Object b : DISTINCT) {
                boolean equal = Values.deepEquals(a, b);
                assertEquals(
                        equal,
                        Arrays.equals(Canonical.encode(a), Canonical.encode(b)),
                        Values.toString(a) + " vs " + Values.toString(b));
                assertEquals(equal, Canonical.compare(a, b) == 0);
                assertEquals(Integer.signum(Canonical.compare(a, b)), -Integer.signum(Canonical.compare(b, a)));
            }
        }
    }

    @Test
    void theOrderIsTotalAndTransitive() {
        List<Object> sorted = new ArrayList<>(DISTINCT);
        sorted.sort(Canonical::compare);
        for (int i = 0; i + 1 < sorted.size(); i++) {
            assertFalse(Canonical.compare(sorted.get(i), sorted.get(i + 1)) > 0);
            for (int j = i + 1; j < sorted.size(); j++) {
                assertNotEquals(1, Integer.signum(Canonical.compare(sorted.get(i), sorted.get(j))));
            }
        }
    }

    @Test
    void refusesValuesOutsideTheModel() {
        assertThrows(IllegalArgumentException.class, () -> Canonical.encode(new Object()));
    }
}
