package dev.jv2p.sync.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jv2p.mesh.internal.Hashes;
import dev.jv2p.sync.Key;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MerkleBatchTest {

    private static List<byte[]> leaves(int n) {
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(Hashes.sha256(new byte[] {(byte) i, (byte) (i >> 8)}));
        }
        return out;
    }

    @ParameterizedTest(name = "{0} leaves")
    @ValueSource(ints = {1, 2, 3, 5, 8, 13, 100, 1024})
    void everyLeafWithItsPathLeadsToTheRootAndNoOtherLeafDoes(int n) {
        List<byte[]> leaves = leaves(n);
        MerkleBatch tree = MerkleBatch.of(leaves);
        for (int i = 0; i < n; i++) {
            byte[] path = tree.path(i);
            assertTrue(path.length / MerkleBatch.STEP <= 32 - Integer.numberOfLeadingZeros(Math.max(1, n - 1)) + 1);
            assertArrayEquals(tree.root(), MerkleBatch.rootOf(leaves.get(i), path, 0), "leaf " + i);
            byte[] other = leaves.get((i + 1) % n).clone();
            other[0] ^= n == 1 ? 1 : 0;
            assertFalse(Arrays.equals(tree.root(), MerkleBatch.rootOf(other, path, 0)), "leaf " + i);
        }
    }

    @Test
    void aSingleLeafIsItsOwnRootWithAnEmptyPath() {
        byte[] leaf = leaves(1).get(0);
        MerkleBatch tree = MerkleBatch.of(List.of(leaf));
        assertEquals(0, tree.path(0).length);
        assertArrayEquals(leaf, tree.root());
    }

    @Test
    void malformedPathsLeadNowhere() {
        byte[] leaf = leaves(1).get(0);
        assertNull(MerkleBatch.rootOf(leaf, new byte[MerkleBatch.STEP - 1], 0), "a partial step");
        byte[] badSide = new byte[MerkleBatch.STEP];
        badSide[0] = 2;
        assertNull(MerkleBatch.rootOf(leaf, badSide, 0), "a side byte other than 0 or 1");
    }

    @Test
    void aWriteLeafBindsTheProtocolOwnerStampKindAndValue() {
        WriteStamp stamp = new WriteStamp(100, "owner", 0);
        Write w = Write.set(Key.of("k"), Map.of("a", 1L, "b", 2L), stamp);
        byte[] leaf = WriteLeaf.of("proto", w);
        assertArrayEquals(
                leaf,
                WriteLeaf.of("proto", Write.set(Key.of("k"), Map.of("b", 2L, "a", 1L), stamp)),
                "map order does not matter");
        assertFalse(Arrays.equals(leaf, WriteLeaf.of("other-proto", w)));
        assertFalse(Arrays.equals(
                leaf,
                WriteLeaf.of(
                        "proto",
                        Write.set(Key.of("k"), Map.of("a", 1L, "b", 2L), new WriteStamp(100, "someone-else", 0)))));
        assertFalse(Arrays.equals(
                leaf,
                WriteLeaf.of(
                        "proto", Write.set(Key.of("k"), Map.of("a", 1L, "b", 2L), new WriteStamp(100, "owner", 1)))));
        assertFalse(Arrays.equals(
                leaf, WriteLeaf.of("proto", Write.delta(Key.of("k"), Map.of("a", 1L, "b", 2L), stamp))));
        assertFalse(Arrays.equals(
                leaf, WriteLeaf.of("proto", Write.set(Key.of("k"), Map.of("a", 1L, "b", 3L), stamp))));
    }
}
