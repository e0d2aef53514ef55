package dev.jv2p.mesh.internal;

import static dev.jv2p.mesh.testing.GoldenVectors.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jv2p.mesh.testing.GoldenVectors;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** base58 as p2p.today uses it (spec §8.1): integers, not byte strings. */
class Base58Test {

    static List<Named<JsonNode>> fromBytes() {
        return named(GoldenVectors.standalone().required("base58_from_bytes"), "bytes_hex");
    }

    static List<Named<JsonNode>> fromIntegers() {
        return named(GoldenVectors.standalone().required("base58_from_integers"), "integer");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fromBytes")
    void encodesBytesAsTheUnsignedBigEndianIntegerTheySpell(JsonNode vector) {
        byte[] input = bytes(vector.required("bytes_hex").asText());

        assertEquals(new BigInteger(vector.required("integer_decimal").asText()), new BigInteger(1, input));
        assertEquals(vector.required("to_base_58").asText(), Base58.encode(input));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fromBytes")
    void decodesToTheIntegerJs2pDecodes(JsonNode vector) {
        assertEquals(
                new BigInteger(vector.required("from_base_58_decimal").asText()),
                Base58.decode(vector.required("to_base_58").asText()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fromIntegers")
    void encodesIntegersLikeJs2p(JsonNode vector) {
        BigInteger n = BigInteger.valueOf(vector.required("integer").asLong());
        String expected = vector.required("to_base_58").asText();

        assertEquals(expected, Base58.encode(n));
        assertEquals(n, Base58.decode(expected));
    }

    @Test
    void losesLeadingZeroBytesUnlikeBitcoinBase58() {
        // Bitcoin base58 would give "11112" for 00 00 00 01; js2p gives "2" (spec §8.1, §15.20).
        assertEquals("2", Base58.encode(new byte[] {0, 0, 0, 1}));
        assertEquals(Base58.encode(new byte[] {1}), Base58.encode(new byte[] {0, 0, 0, 1}));
    }

    @Test
    void encodesZeroAsTheFirstDigit() {
        assertEquals("1", Base58.encode(BigInteger.ZERO));
        assertEquals("1", Base58.encode(new byte[0]));
    }

    @Test
    void refusesNegativeIntegers() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> Base58.encode(BigInteger.valueOf(-1)));
        assertTrue(e.getMessage().contains("-1"), e.getMessage());
    }

    @Test
    void refusesCharactersOutsideTheAlphabetNamingTheirPosition() {
        // 0, O, I and l are left out of the alphabet to avoid look-alikes.
        for (String bad : List.of("0", "O", "I", "l", "+")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Base58.decode("2" + bad));
            assertTrue(e.getMessage().contains("index 1"), e.getMessage());
        }
    }

    @Test
    void decodesEveryEncodingBackToItsInteger() {
        long seed = System.nanoTime();
        System.out.println("Base58Test seed " + seed);
        Random random = new Random(seed);
        for (int i = 0; i < 2000; i++) {
            BigInteger n = new BigInteger(random.nextInt(400), random);
            assertEquals(n, Base58.decode(Base58.encode(n)), "seed " + seed + ", n " + n);
        }
    }

    @Test
    void usesBitcoinsAlphabet() {
        assertEquals(58, Base58.ALPHABET.length());
        assertEquals(GoldenVectors.standalone().required("base58_alphabet").asText(), Base58.ALPHABET);
    }

    private static List<Named<JsonNode>> named(JsonNode array, String inputField) {
        List<Named<JsonNode>> out = new ArrayList<>();
        array.forEach(v -> out.add(Named.of(
                "[" + v.required(inputField).asText() + "] -> "
                        + v.required("to_base_58").asText(),
                v)));
        assertFalse(out.isEmpty(), "vector list is empty");
        return out;
    }
}
