package dev.jv2p.sync;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class KeyTest {
    @Test
    void aStringKeyIsItsUtf8Bytes() {
        assertArrayEquals(
                "héllo".getBytes(StandardCharsets.UTF_8), Key.of("héllo").bytes());
    }

    @Test
    void aStringKeyAndAByteKeyWithTheSameUtf8TextAreTheSameKey() {
        Key text = Key.of("héllo");
        Key bin = Key.of("héllo".getBytes(StandardCharsets.UTF_8));

        assertEquals(text, bin);
        assertEquals(text.hashCode(), bin.hashCode());
        assertEquals(0, text.compareTo(bin));
    }

    @Test
    void keysDifferByContent() {
        assertNotEquals(Key.of("a"), Key.of("b"));
        assertNotEquals(Key.of("a"), Key.of("a "));
    }

    @Test
    void aByteKeyIsCopiedInAndOut() {
        byte[] bytes = {1, 2, 3};
        Key key = Key.of(bytes);
        bytes[0] = 9;
        key.bytes()[1] = 9;

        assertArrayEquals(new byte[] {1, 2, 3}, key.bytes());
        assertEquals(3, key.length());
    }

    @Test
    void orderIsUnsignedLexicographic() {
        Key high = Key.of(new byte[] {(byte) 0xff});
        Key low = Key.of(new byte[] {0x01});
        Key prefix = Key.of(new byte[] {0x01, 0x00});

        assertTrue(low.compareTo(high) < 0, "0x01 sorts before 0xff, not after as signed bytes would");
        assertTrue(low.compareTo(prefix) < 0);
        assertTrue(high.compareTo(prefix) > 0);
    }

    @Test
    void isUtf8TellsWhetherAJs2pPeerCanCarryTheKey() {
        assertTrue(Key.of("ключ").isUtf8());
        assertTrue(Key.of(new byte[0]).isUtf8());
        assertFalse(Key.of(new byte[] {(byte) 0xff}).isUtf8());
        assertFalse(Key.of(new byte[] {(byte) 0xc3}).isUtf8(), "a truncated two-byte sequence");
    }

    @Test
    void toStringShowsTextOrHex() {
        assertEquals("ключ", Key.of("ключ").toString());
        assertEquals("bin(ff00)", Key.of(new byte[] {(byte) 0xff, 0}).toString());
    }
}
