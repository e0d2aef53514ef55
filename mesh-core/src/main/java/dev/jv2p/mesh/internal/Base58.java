package dev.jv2p.mesh.internal;

import java.math.BigInteger;

/**
 * Base58 as p2p.today uses it: the input is read as one unsigned big-endian integer, so
 * leading zero bytes are lost and zero encodes as {@code "1"}. This is not Bitcoin's
 * base58 (spec §8.1); do not swap in a library that keeps leading zeros.
 */
public final class Base58 {

    /** Bitcoin's alphabet, which p2p.today also uses. */
    public static final String ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

    private static final BigInteger FIFTY_EIGHT = BigInteger.valueOf(58);

    private Base58() {}

    /** Encodes {@code bytes} read as an unsigned big-endian integer. */
    public static String encode(byte[] bytes) {
        return encode(new BigInteger(1, bytes));
    }

    /** Encodes a non-negative integer. */
    public static String encode(BigInteger value) {
        if (value.signum() < 0) {
            throw new IllegalArgumentException("base58 encodes non-negative integers only: " + value);
        }
        if (value.signum() == 0) {
            return "1";
        }
        StringBuilder out = new StringBuilder();
        BigInteger rest = value;
        while (rest.signum() > 0) {
            BigInteger[] qr = rest.divideAndRemainder(FIFTY_EIGHT);
            out.append(ALPHABET.charAt(qr[1].intValue()));
            rest = qr[0];
        }
        return out.reverse().toString();
    }

    /**
     * Decodes a base58 string to its integer.
     *
     * @throws IllegalArgumentException on a character outside the alphabet (js2p would count
     *     it as -1; jv2p refuses)
     */
    public static BigInteger decode(String text) {
        BigInteger value = BigInteger.ZERO;
        for (int i = 0; i < text.length(); i++) {
            int digit = ALPHABET.indexOf(text.charAt(i));
            if (digit < 0) {
                throw new IllegalArgumentException(
                        "not a base58 character at index " + i + ": '" + text.charAt(i) + "'");
            }
            value = value.multiply(FIFTY_EIGHT).add(BigInteger.valueOf(digit));
        }
        return value;
    }
}
