package dev.jv2p.codec.msgpack;

import static dev.jv2p.mesh.testing.GoldenVectors.bytes;
import static dev.jv2p.mesh.testing.GoldenVectors.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.jv2p.mesh.spi.CodecException;
import dev.jv2p.mesh.spi.DecodeLimits;
import dev.jv2p.mesh.spi.Values;
import dev.jv2p.mesh.testing.GoldenVectors;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.msgpack.core.MessagePackException;

/**
 * Untrusted bodies: everything that is not exactly one packet list within the limits fails
 * with a {@link CodecException}, quickly, and nothing else ever leaves {@code decode}.
 */
class MsgpackCodecBadInputTest {

    private static final MsgpackCodec CODEC = new MsgpackCodec();
    private static final DecodeLimits UNLIMITED = new DecodeLimits(Integer.MAX_VALUE, Integer.MAX_VALUE);

    @Test
    void refusesAnEmptyBody() {
        assertTrue(refusal("").startsWith("empty body"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"81a16101", "05", "a161", "c0", "c40100", "c3", "cb3ff8000000000000", "d40100"})
    void refusesATopLevelValueThatIsNotAnArray(String body) {
        String message = refusal(body);

        assertTrue(message.contains("not an array"), message);
    }

    @Test
    void refusesTheReservedByteAtTheTop() {
        String message = refusal("c1");

        assertTrue(message.contains("reserved byte 0xc1") && message.contains("not an array"), message);
    }

    @Test
    void refusesTheReservedByteInsideTheList() {
        assertTrue(refusal("9200c1").contains("0xc1 at offset 2"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(
            strings = {
                "91d40100",
                "91d5010000",
                "91d60100000000",
                "91d6ff00000000",
                "91d7010000000000000000",
                "91d80100000000000000000000000000000000",
                "91c7010500",
                "91c800010500",
                "91c9000000010500"
            })
    void refusesExtTypes(String body) {
        String message = refusal(body);

        assertTrue(message.startsWith("ext type at offset 1"), message);
    }

    @Test
    void refusesAnExtTypeNamingIt() {
        String message = refusal("9200d6ff00000000");

        assertTrue(message.startsWith("ext type at offset 2"), message);
    }

    @Test
    void refusesEveryTruncationOfRealPacketLists() {
        for (NamedBody vector : standaloneBodies()) {
            byte[] whole = vector.body();
            for (int length = 1; length < whole.length; length++) {
                byte[] cut = Arrays.copyOf(whole, length);
                String message = refusal(cut);
                assertTrue(message.startsWith("truncated body"), vector.name() + " cut at " + length + ": " + message);
            }
        }
    }

    @Test
    void refusesBytesAfterThePacketList() {
        assertEquals("trailing bytes after the packet list: it ends at offset 2 of a 3-byte body", refusal("910100"));
        assertTrue(refusal("91019101").startsWith("trailing bytes"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(
            strings = {
                // array32, map32, str32, bin32 claiming 2^32-1 entries or bytes, or as many as the
                // value limit lets through
                "ddffffffff",
                "dd7ffffffe00",
                "91dfffffffff",
                "91df3ffffffe00",
                "91dbffffffff",
                "91db7fffffff61",
                "91c6ffffffff",
                "91c67fffffff00",
                "92dd7ffffffc00",
                "92df3ffffffe00",
                // 16-bit sizes over what is left
                "dcffff00",
                "91deffff00",
                "91daffff61",
                "91c5ffff00",
            })
    void refusesHeadersThatClaimMoreThanTheBodyHoldsWithoutAllocatingIt(String body) {
        // Unlimited limits: only the check against the remaining bytes stands between such a
        // header and an allocation of gigabytes (which would fail this test with an Error).
        CodecException e = assertThrows(CodecException.class, () -> CODEC.decode(bytes(body), UNLIMITED));
        assertTrue(
                e.getMessage().startsWith("truncated body") || e.getMessage().startsWith("malformed msgpack"),
                e.getMessage());
    }

    @Test
    void refusesAnArrayOverTheValueLimitBeforeReadingIt() {
        String message = refusal("dd7fffffff00");

        assertTrue(message.contains("limit of 1000000 values"), message);
    }

    @Test
    void countsEveryValueAtEveryLevelAgainstTheLimit() throws CodecException {
        // Root, map, key, value, two list elements: 7 values counting the inner list.
        byte[] body = bytes("9281a16b019200c0");

        assertEquals(2, CODEC.decode(body, new DecodeLimits(32, 7)).size());
        CodecException e = assertThrows(CodecException.class, () -> CODEC.decode(body, new DecodeLimits(32, 6)));
        assertTrue(e.getMessage().contains("limit of 6 values"), e.getMessage());
    }

    @Test
    void acceptsNestingUpToTheDepthLimitAndNoDeeper() throws CodecException {
        // The packet list is level 1; maps count like lists.
        byte[] three = bytes("9181a16b9100");
        byte[] four = bytes("9181a16b919100");

        assertEquals(1, CODEC.decode(three, new DecodeLimits(3, 100)).size());
        CodecException e = assertThrows(CodecException.class, () -> CODEC.decode(four, new DecodeLimits(3, 100)));
        assertTrue(e.getMessage().contains("deeper than the limit of 3 levels"), e.getMessage());
    }

    @Test
    void countsAnEmptyContainerAsALevel() {
        assertThrows(CodecException.class, () -> CODEC.decode(bytes("919190"), new DecodeLimits(2, 100)));
    }

    @Test
    void refusesADepthBombAtTheDefaultLimit() {
        byte[] bomb = new byte[100_001];
        Arrays.fill(bomb, (byte) 0x91);

        String message = refusal(bomb);

        assertTrue(message.contains("deeper than the limit of 32 levels"), message);
    }

    @Test
    void readsAHundredThousandLevelsWithoutRecursionWhenTheLimitsAllowIt() throws CodecException {
        byte[] deep = new byte[100_001];
        Arrays.fill(deep, (byte) 0x91);
        deep[deep.length - 1] = 0x00;

        Object value = CODEC.decode(deep, UNLIMITED);
        int levels = 0;
        while (value instanceof List<?> list) {
            levels++;
            value = list.get(0);
        }

        assertEquals(100_000, levels);
        assertEquals(0L, value);
        CodecException truncated =
                assertThrows(CodecException.class, () -> CODEC.decode(Arrays.copyOf(deep, deep.length - 1), UNLIMITED));
        assertTrue(truncated.getMessage().startsWith("truncated body"), truncated.getMessage());
    }

    @Test
    void refusesRandomAndMutatedBodiesWithACodecExceptionOnly() {
        long seed = System.nanoTime();
        System.out.println("MsgpackCodecBadInputTest seed " + seed);
        Random random = new Random(seed);
        List<byte[]> seeds = new ArrayList<>();
        for (NamedBody vector : standaloneBodies()) {
            seeds.add(vector.body());
        }
        int decoded = 0;
        for (int i = 0; i < 30_000; i++) {
            byte[] input = i % 3 == 0 ? randomBody(random) : mutate(seeds.get(random.nextInt(seeds.size())), random);
            try {
                List<Object> packets = CODEC.decode(input, DecodeLimits.DEFAULT);
                decoded++;
                // Whatever decodes is a value the codec can write and read back unchanged.
                assertTrue(
                        Values.deepEquals(packets, CODEC.decode(CODEC.encode(packets), DecodeLimits.DEFAULT)),
                        "seed " + seed + ", input " + hex(input));
            } catch (CodecException e) {
                Throwable cause = e.getCause();
                if (cause != null && !(cause instanceof MessagePackException)) {
                    fail("seed " + seed + ", input " + hex(input) + ": unexpected cause " + cause, cause);
                }
            } catch (RuntimeException | Error e) {
                fail("seed " + seed + ", input " + hex(input) + ": " + e, e);
            }
        }
        assertTrue(decoded > 0, "the generator also produced valid bodies (seed " + seed + ")");
    }

    /** Mostly array headers first, so that the decoder gets past the first byte. */
    private static byte[] randomBody(Random random) {
        byte[] body = new byte[random.nextInt(48)];
        random.nextBytes(body);
        if (body.length > 0 && random.nextBoolean()) {
            body[0] = (byte) (0x90 | random.nextInt(16));
        }
        return body;
    }

    private static byte[] mutate(byte[] original, Random random) {
        byte[] out = original.clone();
        switch (random.nextInt(5)) {
            case 0 -> out[random.nextInt(out.length)] ^= (byte) (1 << random.nextInt(8));
            case 1 -> out[random.nextInt(out.length)] = (byte) random.nextInt(256);
            case 2 -> out = Arrays.copyOf(out, random.nextInt(out.length));
            case 3 -> {
                ByteArrayOutputStream grown = new ByteArrayOutputStream();
                int at = random.nextInt(out.length + 1);
                grown.write(out, 0, at);
                byte[] extra = new byte[1 + random.nextInt(8)];
                random.nextBytes(extra);
                grown.writeBytes(extra);
                grown.write(out, at, out.length - at);
                out = grown.toByteArray();
            }
            default -> {
                for (int k = 0; k < 4; k++) {
                    out[random.nextInt(out.length)] = (byte) random.nextInt(256);
                }
            }
        }
        return out;
    }

    private static String refusal(String hex) {
        return refusal(bytes(hex));
    }

    private static String refusal(byte[] body) {
        CodecException e = assertThrows(
                CodecException.class, () -> CODEC.decode(body, DecodeLimits.DEFAULT), () -> "accepted " + hex(body));
        return e.getMessage();
    }

    private record NamedBody(String name, byte[] body) {}

    private static List<NamedBody> standaloneBodies() {
        List<NamedBody> out = new ArrayList<>();
        GoldenVectors.standalone()
                .required("messages")
                .forEach(m -> out.add(new NamedBody(
                        m.required("name").asText(),
                        bytes(m.required("msgpack_hex").asText()))));
        return out;
    }
}
