package dev.jv2p.sync.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jv2p.sync.Key;
import java.math.BigInteger;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The leaves owners sign are part of the wire and of data directories: these were computed by
 * the implementation before {@link ByteSink} (a {@code DataOutputStream}), and must never change.
 */
class WriteLeafTest {
    private static final List<String> EXPECTED = List.of(
            "6b1428bdcf907c4e4fabcb4f0396eac050e19da08a8f84ffa2d4495045406039",
            "7df24a67ee66a3ab1ba73b121f2cfa6ce43eb728b8021fb543cfacbd0710ec4d",
            "bb0d1232b67c3645ce7fd4f4dc165a23ec701c33db7cab21e0114785aa0a7320",
            "c8747ac8febaee9af1699f7b3047f86df70f49b598ec9f16072f80262f02bc8e",
            "97dbb7a7b1192c22e7d7444d4438eb5ee8c9a16021cee69f2fdc4d4f324ffa6d",
            "eb86c1154096b073d93648a96723a36460897b15995d0c7d91aaf6842d48fb38",
            "6bd4986ae4ccfc4783ac96f6a95049322b9f20e161576144cb15c9aab19a91da",
            "9687e95dfd3aeb62296a0f538d457e22273ca1f02210dec63ccc82e10506fbf3");

    @Test
    void leavesAreTheBytesOwnersHaveAlwaysSigned() {
        List<Write> writes = writes();
        for (int i = 0; i < writes.size(); i++) {
            assertEquals(
                    EXPECTED.get(i),
                    HexFormat.of().formatHex(WriteLeaf.of("proto-\u00fc", writes.get(i))),
                    "leaf of " + writes.get(i).key());
        }
    }

    @Test
    void aMapValueInsideTheLeafDoesNotDisturbTheSinkTheLeafIsWrittenTo() {
        Write w = writes().get(2);
        assertEquals(EXPECTED.get(2), HexFormat.of().formatHex(WriteLeaf.of("proto-\u00fc", w)));
        assertEquals(EXPECTED.get(2), HexFormat.of().formatHex(WriteLeaf.of("proto-\u00fc", w)), "again");
    }

    private static List<Write> writes() {
        WriteStamp st = new WriteStamp(1_700_000_123L, "owner-\u00e9", 7);
        Map<Object, Object> m = new LinkedHashMap<>();
        m.put("z", 1L);
        m.put("a", List.of("x", 2.5, true));
        m.put("\ud800", new byte[] {1, 2, 3});
        m.put("mid", null);
        StringBuilder big = new StringBuilder();
        for (int i = 0; i < 5000; i++) {
            big.append((char) ('a' + i % 26)).append('\u4e2d');
        }
        return List.of(
                Write.set(Key.of("k"), "v", st),
                Write.set(Key.of("k\u00df"), "lone \udc00 surrogate and \ud83d\ude00", st),
                Write.set(Key.of("map"), m, st),
                Write.set(Key.of("big"), big.toString(), st),
                Write.set(Key.of("num"), new BigInteger("9223372036854775807"), st),
                Write.set(Key.of("l"), -42L, st),
                Write.delete(Key.of("gone"), st),
                Write.delta(Key.of("d"), Map.of("b", "2", "a", "1"), st));
    }
}
