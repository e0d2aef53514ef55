package dev.jv2p.codec.protobuf;

import static dev.jv2p.mesh.testing.GoldenVectors.bytes;
import static dev.jv2p.mesh.testing.GoldenVectors.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.jv2p.codec.protobuf.wire.PacketList;
import dev.jv2p.mesh.spi.CodecException;
import dev.jv2p.mesh.spi.DecodeLimits;
import dev.jv2p.mesh.spi.Values;
import dev.jv2p.mesh.testing.GoldenVectors;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Untrusted bodies: everything that is not exactly one canonical packet list within the
 * limits fails with a {@link CodecException}, before message objects are built, and nothing
 * else ever leaves {@code decode}.
 */
class ProtobufCodecBadInputTest {

    private static final ProtobufCodec CODEC = new ProtobufCodec();
    private static final DecodeLimits UNLIMITED = new DecodeLimits(Integer.MAX_VALUE, Integer.MAX_VALUE);

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource({
        "field 2 of the packet list, 1000, PacketList",
        "field 10 of a value, 0a025000, Value",
        "field 2 of a list, 0a0442021000, ListValue",
        "field 2 of a map, 0a044a021000, MapValue",
        "field 3 of a map entry, 0a064a040a021a00, MapEntry",
    })
    void refusesUnknownFields(String where, String body, String message) {
        String refusal = refusal(body);

        assertTrue(refusal.startsWith("unknown field") && refusal.contains("in the " + message), refusal);
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource({
        "a packet as a varint, 0800",
        "a packet as a group, 0b0c",
        "a bool as bytes, 0a021200",
        "an int as a fixed64, 0a09190000000000000000",
        "a double as a fixed32, 0a052d00000000",
        "a string as a varint, 0a023000",
        "a list as a varint, 0a024000",
        "a map key as a varint, 0a064a040a020800",
    })
    void refusesAFieldOfTheWrongWireType(String what, String body) {
        String refusal = refusal(body);

        assertTrue(refusal.contains("has wire type"), refusal);
    }

    @Test
    void refusesAValueThatSetsNoKind() {
        assertEquals("the value at offset 0 sets no kind", refusal("0a00"));
        assertEquals("the value at offset 4 sets no kind", refusal("0a0442020a00"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"0a0410011800", "0a0410011001", "0a06320161320162"})
    void refusesAValueThatSetsTwoKinds(String body) {
        assertTrue(refusal(body).startsWith("the value at offset 0 has a second kind"));
    }

    @Test
    void refusesAMapEntryWithoutItsKeyOrValueOrWithTwo() {
        assertTrue(refusal("0a084a060a0412021802").endsWith("has no key"));
        assertTrue(refusal("0a084a060a040a021802").endsWith("has no value"));
        assertTrue(refusal("0a104a0e0a0c0a0218020a02180412021806").contains("has a second key"));
        assertTrue(refusal("0a104a0e0a0c0a0218021202180412021806").contains("has a second value"));
    }

    @Test
    void refusesNilAndBoolValuesOutOfTheirRange() {
        assertEquals("the nil at offset 2 has the value 1", refusal("0a020801"));
        assertEquals("the bool at offset 2 has the value 2", refusal("0a021002"));
        assertEquals("the bool at offset 2 has the value 18446744073709551615", refusal("0a0b10ffffffffffffffffff01"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"0a033201ff", "0a053203eda080", "0a0d4a0b0a090a033201c012021802"})
    void refusesStringsThatAreNotUtf8(String body) {
        CodecException e = assertThrows(CodecException.class, () -> CODEC.decode(bytes(body), DecodeLimits.DEFAULT));

        assertTrue(e.getMessage().contains("UTF-8"), e.getMessage());
        assertInstanceOf(InvalidProtocolBufferException.class, e.getCause());
    }

    @Test
    void refusesMalformedVarintsAndTags() {
        assertEquals(
                "malformed protobuf: the varint at offset 3 is longer than 10 bytes",
                refusal("0a0c18ffffffffffffffffffff01"));
        assertEquals("malformed protobuf: invalid tag 2 at offset 0", refusal("0200"));
        assertTrue(refusal("0000").startsWith("malformed protobuf: invalid tag 0"));
        assertTrue(refusal("ffffffff7f").startsWith("malformed protobuf: invalid tag"));
    }

    @Test
    void refusesEveryCutInsideAPacketAndReadsACutBetweenPacketsAsThePacketsBeforeIt() throws CodecException {
        // Protobuf bodies do not end by themselves: frames carry the length and a checksum.
        int cuts = 0;
        for (List<Object> packets : capturedPacketLists()) {
            byte[] whole = CODEC.encode(packets);
            List<Integer> boundaries = new ArrayList<>();
            for (int k = 0; k <= packets.size(); k++) {
                boundaries.add(CODEC.encode(packets.subList(0, k)).length);
            }
            for (int length = 0; length < whole.length; length++) {
                byte[] cut = Arrays.copyOf(whole, length);
                int before = boundaries.indexOf(length);
                if (before >= 0) {
                    assertTrue(Values.deepEquals(packets.subList(0, before), CODEC.decode(cut, DecodeLimits.DEFAULT)));
                } else {
                    String message = refusal(cut);
                    assertTrue(message.startsWith("truncated body"), hex(whole) + " cut at " + length + ": " + message);
                    cuts++;
                }
            }
        }
        assertTrue(cuts > 10_000, "only " + cuts + " cuts inside packets");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(
            strings = {
                // lengths of 2^32-1, 2^31-1 and just one more than what is left, at every level
                "0affffffff0f",
                "0affffffff07",
                "0a0200",
                "0a033a0500",
                "0a0532ffffff7f",
                "0a0342050a",
                "0a054a030a0500",
                "0a074a050a030a0500",
                "0a02210000",
                // 10-byte lengths of 2^63 and more, which a signed comparison took for negative (fuzzing)
                "0affffffffffffffffff01",
                "0a0b32ffffffffffffffffff01",
                "0a0b42ffffffffffffffffff01",
                "0ab3b3b3b3b3b3bab3b363",
            })
    void refusesLengthsThatClaimMoreThanTheBodyHolds(String body) {
        CodecException e = assertThrows(CodecException.class, () -> CODEC.decode(bytes(body), UNLIMITED));

        assertTrue(e.getMessage().startsWith("truncated body"), e.getMessage());
    }

    @Test
    void countsEveryValueAtEveryLevelAgainstTheLimit() throws CodecException {
        // The packet list, a map, its key and value, a list and its two elements: 7 values.
        byte[] body = CODEC.encode(List.of(Map.of("k", 1L), Arrays.asList(0L, null)));

        assertEquals(2, CODEC.decode(body, new DecodeLimits(32, 7)).size());
        CodecException e = assertThrows(CodecException.class, () -> CODEC.decode(body, new DecodeLimits(32, 6)));
        assertTrue(e.getMessage().contains("limit of 6 values"), e.getMessage());
    }

    @Test
    void refusesAFloodOfValuesBeforeBuildingAnyOfThem() {
        // 1,000,001 packets of four bytes each: protobuf-java alone would build them all,
        // some 50 MB of objects, before anything could count them.
        int packets = DecodeLimits.DEFAULT.maxElements() + 1;
        byte[] body = new byte[4 * packets];
        for (int i = 0; i < body.length; i += 4) {
            body[i] = 0x0a;
            body[i + 1] = 0x02;
            body[i + 2] = 0x10;
        }
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assertTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled());

        long before = threads.getCurrentThreadAllocatedBytes();
        CodecException e = assertThrows(CodecException.class, () -> CODEC.decode(body, DecodeLimits.DEFAULT));
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        assertTrue(e.getMessage().contains("limit of 1000000 values"), e.getMessage());
        assertTrue(allocated < 1_000_000, "allocated " + allocated + " bytes to refuse a 4 MB body");
    }

    @Test
    void acceptsNestingUpToTheDepthLimitAndNoDeeper() throws CodecException {
        // The packet list is level 1; maps count like lists.
        byte[] three = CODEC.encode(List.of(Map.of("k", List.of(0L))));
        byte[] four = CODEC.encode(List.of(Map.of("k", List.of(List.of(0L)))));

        assertEquals(1, CODEC.decode(three, new DecodeLimits(3, 100)).size());
        CodecException e = assertThrows(CodecException.class, () -> CODEC.decode(four, new DecodeLimits(3, 100)));
        assertTrue(e.getMessage().contains("deeper than the limit of 3 levels"), e.getMessage());
    }

    @Test
    void countsAnEmptyContainerAsALevel() {
        byte[] body = CODEC.encode(List.of(List.of(List.of())));

        assertThrows(CodecException.class, () -> CODEC.decode(body, new DecodeLimits(2, 100)));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(booleans = {false, true})
    void refusesADepthBombAtTheDefaultLimit(boolean maps) {
        String message = refusal(nested(100_000, maps));

        assertTrue(message.contains("deeper than the limit of 32 levels"), message);
    }

    @ParameterizedTest(name = "maps: {0}")
    @ValueSource(booleans = {false, true})
    void readsNoDeeperThanAnyCodecWritesWhateverTheLimitsAllow(boolean maps) throws CodecException {
        // Protobuf-java parses nested messages by recursion: a thread's stack, not the limits,
        // would otherwise end this.
        CodecException e = assertThrows(CodecException.class, () -> CODEC.decode(nested(100_000, maps), UNLIMITED));

        assertTrue(e.getMessage().contains("deeper than the limit of 65 levels"), e.getMessage());
        assertEquals(
                1,
                CODEC.decode(nested(ProtobufCodec.MAX_DEPTH - 1, maps), UNLIMITED)
                        .size());
        assertThrows(CodecException.class, () -> CODEC.decode(nested(ProtobufCodec.MAX_DEPTH, maps), UNLIMITED));
    }

    @Test
    void givesTheParserJustTheRecursionTheDeepestBodyWithinTheLimitsNeeds() throws Exception {
        for (int depth = 1; depth <= ProtobufCodec.MAX_DEPTH; depth++) {
            // Maps nest deepest in protobuf: three messages per level.
            byte[] body = nested(depth - 1, true);
            int limit = PacketListReader.recursionLimit(depth);

            assertEquals(1, CODEC.decode(body, new DecodeLimits(depth, 1000)).size(), "depth " + depth);
            CodedInputStream tooTight = CodedInputStream.newInstance(body);
            tooTight.setRecursionLimit(limit - 1);
            InvalidProtocolBufferException e = assertThrows(
                    InvalidProtocolBufferException.class,
                    () -> PacketList.parser().parseFrom(tooTight),
                    "depth " + depth);
            assertTrue(e.getMessage().contains("too many levels of nesting"), e.getMessage());
        }
    }

    @Test
    void refusesRandomAndMutatedBodiesWithACodecExceptionOnly() {
        long seed = System.nanoTime();
        System.out.println("ProtobufCodecBadInputTest seed " + seed);
        Random random = new Random(seed);
        List<byte[]> seeds = new ArrayList<>();
        for (List<Object> packets : capturedPacketLists()) {
            seeds.add(CODEC.encode(packets));
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
                if (cause != null && !(cause instanceof InvalidProtocolBufferException)) {
                    fail("seed " + seed + ", input " + hex(input) + ": unexpected cause " + cause, cause);
                }
            } catch (RuntimeException | Error e) {
                fail("seed " + seed + ", input " + hex(input) + ": " + e, e);
            }
        }
        assertTrue(decoded > 0, "the generator also produced valid bodies (seed " + seed + ")");
    }

    /**
     * A packet list of one value inside {@code levels} lists (or single-entry maps), with an
     * integer at the bottom: {@code levels + 1} levels deep. Written back to front, so that
     * every length is known when it is written.
     */
    static byte[] nested(int levels, boolean maps) {
        ReverseWriter out = new ReverseWriter();
        out.prepend(0x18, 0x00);
        for (int level = 0; level < levels; level++) {
            if (maps) {
                out.prependLength(0x12);
                out.prepend(0x0a, 0x03, 0x32, 0x01, 'k');
                out.prependLength(0x0a);
                out.prependLength(0x4a);
            } else {
                out.prependLength(0x0a);
                out.prependLength(0x42);
            }
        }
        out.prependLength(0x0a);
        return out.toByteArray();
    }

    /** Collects bytes last to first. */
    private static final class ReverseWriter {
        private final ByteArrayOutputStream reversed = new ByteArrayOutputStream();

        void prepend(int... bytes) {
            for (int i = bytes.length - 1; i >= 0; i--) {
                reversed.write(bytes[i]);
            }
        }

        /** Prepends a length-delimited field header that spans everything written so far. */
        void prependLength(int tag) {
            int length = reversed.size();
            ByteArrayOutputStream varint = new ByteArrayOutputStream();
            while (length >= 0x80) {
                varint.write(length & 0x7f | 0x80);
                length >>>= 7;
            }
            varint.write(length);
            byte[] v = varint.toByteArray();
            for (int i = v.length - 1; i >= 0; i--) {
                reversed.write(v[i]);
            }
            reversed.write(tag);
        }

        byte[] toByteArray() {
            byte[] out = reversed.toByteArray();
            for (int i = 0, j = out.length - 1; i < j; i++, j--) {
                byte t = out[i];
                out[i] = out[j];
                out[j] = t;
            }
            return out;
        }
    }

    /** Mostly packet headers first, so that the decoder gets past the first byte. */
    private static byte[] randomBody(Random random) {
        byte[] body = new byte[random.nextInt(48)];
        random.nextBytes(body);
        if (body.length > 1 && random.nextBoolean()) {
            body[0] = 0x0a;
            body[1] = (byte) random.nextInt(body.length - 1);
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

    /** Every non-empty packet list of the captured js2p frames, as realistic bodies to break. */
    static List<List<Object>> capturedPacketLists() {
        List<List<Object>> out = new ArrayList<>();
        for (GoldenVectors.Frame frame : GoldenVectors.allFrames()) {
            if (frame.hasPackets()
                    && GoldenVectors.value(frame.packetsTyped()) instanceof List<?> packets
                    && !packets.isEmpty()) {
                out.add(Values.normalizeList(packets));
            }
        }
        out.add(Values.normalizeList(List.of("é".getBytes(StandardCharsets.UTF_8), 1.5, Map.of(2L, List.of()))));
        return out;
    }
}
