package dev.jv2p.sync;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * A key of the synchronized dictionary: an immutable byte string.
 *
 * <p>A {@code String} key is its UTF-8 bytes, so {@code Key.of("a")} and
 * {@code Key.of(new byte[] {'a'})} are the same key, as a bin key and a str key with the same
 * UTF-8 text are on the p2p.today wire (spec §12.1). js2p peers only understand keys that are
 * valid UTF-8 ({@link #isUtf8()}). Equality, hash code and order are by content; the order is
 * unsigned lexicographic. Safe to share between threads.
 */
public final class Key implements Comparable<Key> {
    private final byte[] bytes;
    private final int hash;

    private Key(byte[] bytes) {
        this.bytes = bytes;
        this.hash = Arrays.hashCode(bytes);
    }

    /** The key made of the UTF-8 bytes of {@code text}. */
    public static Key of(String text) {
        return new Key(Objects.requireNonNull(text, "text").getBytes(StandardCharsets.UTF_8));
    }

    /** The key made of a copy of {@code bytes}. */
    public static Key of(byte[] bytes) {
        return new Key(Objects.requireNonNull(bytes, "bytes").clone());
    }

    /** A copy of the key's bytes. */
    public byte[] bytes() {
        return bytes.clone();
    }

    /** The key's length in bytes. */
    public int length() {
        return bytes.length;
    }

    /** Whether the bytes are well-formed UTF-8, i.e. whether a js2p peer can carry this key. */
    public boolean isUtf8() {
        try {
            StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Key other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public int compareTo(Key other) {
        return Arrays.compareUnsigned(bytes, other.bytes);
    }

    /** The text of a UTF-8 key; otherwise {@code bin(<hex>)}, so logs never show replacement characters. */
    @Override
    public String toString() {
        if (isUtf8()) {
            return new String(bytes, StandardCharsets.UTF_8);
        }
        StringBuilder sb = new StringBuilder(bytes.length * 2 + 5).append("bin(");
        for (byte b : bytes) {
            sb.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
        }
        return sb.append(')').toString();
    }
}
