package dev.jv2p.codec.protobuf;

import static dev.jv2p.mesh.testing.GoldenVectors.bytes;
import static dev.jv2p.mesh.testing.GoldenVectors.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jv2p.codec.msgpack.MsgpackCodec;
import dev.jv2p.mesh.internal.Plugins;
import dev.jv2p.mesh.spi.Codec;
import dev.jv2p.mesh.spi.CodecException;
import dev.jv2p.mesh.spi.DecodeLimits;
import dev.jv2p.mesh.spi.Values;
import dev.jv2p.mesh.testing.GoldenVectors;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** What {@link ProtobufCodec} writes ({@code packets.proto}) and that every value of the model comes back. */
class ProtobufCodecTest {

    private static final ProtobufCodec CODEC = new ProtobufCodec();
    private static final BigInteger TWO_TO_63 = BigInteger.ONE.shiftLeft(63);
    private static final BigInteger TWO_TO_64_MINUS_1 =
            BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

    @Test
    void isFoundOnTheClassPathAsProtobufBesideMsgpack() {
        ClassLoader loader = getClass().getClassLoader();

        assertEquals("protobuf", CODEC.name());
        assertInstanceOf(ProtobufCodec.class, Plugins.codec("protobuf", List.of(), loader));
        Map<String, Codec> all = Plugins.discover(Codec.class, Codec::name, loader);
        assertInstanceOf(ProtobufCodec.class, all.get("protobuf"));
        assertInstanceOf(MsgpackCodec.class, all.get("msgpack"));
    }

    static Stream<Arguments> everyValueType() {
        Map<Object, Object> anyKeys = new LinkedHashMap<>();
        anyKeys.put("z", 1L);
        anyKeys.put(-7L, "negative key");
        anyKeys.put(null, "nil key");
        anyKeys.put(true, 2.5);
        anyKeys.put(List.of(1L, "x"), "list key");
        anyKeys.put(Map.of("k", "v"), "map key");
        anyKeys.put("a", null);
        return Stream.of(
                Arguments.of("null", null),
                Arguments.of("true", true),
                Arguments.of("false", false),
                Arguments.of("zero", 0L),
                Arguments.of("-1", -1L),
                Arguments.of("2^31", 2_147_483_648L),
                Arguments.of("Long.MIN_VALUE", Long.MIN_VALUE),
                Arguments.of("Long.MAX_VALUE", Long.MAX_VALUE),
                Arguments.of("2^63", TWO_TO_63),
                Arguments.of("2^64-1", TWO_TO_64_MINUS_1),
                Arguments.of("1.5", 1.5),
                Arguments.of("-0.0", -0.0),
                Arguments.of("NaN", Double.NaN),
                Arguments.of("-Infinity", Double.NEGATIVE_INFINITY),
                Arguments.of("Double.MIN_VALUE", Double.MIN_VALUE),
                Arguments.of("empty string", ""),
                Arguments.of("string", "text"),
                Arguments.of("non-ASCII string", "é ∑ 😀"),
                Arguments.of("string with U+FFFD", "\uFFFD"),
                Arguments.of("empty bytes", new byte[0]),
                Arguments.of("bytes", new byte[] {0, (byte) 0xff, 0x7f, (byte) 0x80}),
                Arguments.of("empty list", List.of()),
                Arguments.of("nested list", List.of(1L, List.of("a", List.of()), Arrays.asList(null, false))),
                Arguments.of("empty map", Map.of()),
                Arguments.of("map with keys of every kind, in order", anyKeys));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyValueType")
    void roundTripsEveryValueType(String name, Object value) throws CodecException {
        List<Object> packets = Arrays.asList(value, value);

        List<Object> decoded = CODEC.decode(CODEC.encode(packets), DecodeLimits.DEFAULT);

        assertTrue(Values.deepEquals(packets, decoded), Values.toString(decoded));
        if (value != null) {
            assertEquals(value.getClass().isArray() ? byte[].class : kindOf(value), kindOf(decoded.get(0)));
        }
        if (value instanceof Map<?, ?> map) {
            assertEquals(new ArrayList<>(map.keySet()), new ArrayList<>(((Map<?, ?>) decoded.get(0)).keySet()));
        }
    }

    @Test
    void readsIntegersBelow2To63AsLongAndAboveAsBigInteger() throws CodecException {
        List<Object> decoded = CODEC.decode(CODEC.encode(List.of(Long.MAX_VALUE, TWO_TO_63)), DecodeLimits.DEFAULT);

        assertEquals(List.of(Long.MAX_VALUE, TWO_TO_63), decoded);
        assertInstanceOf(Long.class, decoded.get(0));
        assertInstanceOf(BigInteger.class, decoded.get(1));
    }

    @Test
    void writesOtherBoxedIntegersAndFloatAsTheValueModelDoes() throws CodecException {
        List<Object> given = List.of(5, (short) -129, (byte) -128, BigInteger.valueOf(127), 1.5f);

        assertEquals(List.of(5L, -129L, -128L, 127L, 1.5), CODEC.decode(CODEC.encode(given), DecodeLimits.DEFAULT));
        assertArrayEquals(CODEC.encode(Values.normalizeList(given)), CODEC.encode(given));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        // One Value per packet: 0a <length> <value>; the value is <kind tag> <payload>.
        "null, 0a020800",
        "true, 0a021001",
        "false, 0a021000",
        "0, 0a021800",
        "-1, 0a021801",
        "1, 0a021802",
        "1700000000, 0a061880c49fd50c",
        "9223372036854775808, 0a09210000000000000080",
        "1.5, 0a0929000000000000f83f",
        "'', 0a023200",
        "k, 0a0332016b",
    })
    void writesScalarsAsPacketsProtoSays(String value, String expected) {
        Object parsed = switch (value) {
            case "null" -> null;
            case "true", "false" -> Boolean.parseBoolean(value);
            case "k", "" -> value;
            default -> value.contains(".") ? (Object) Double.parseDouble(value) : new BigInteger(value);
        };

        assertEquals(expected, hex(CODEC.encode(Collections.singletonList(parsed))));
    }

    @Test
    void writesBytesListsAndMapsAsPacketsProtoSays() {
        Map<Object, Object> map = new LinkedHashMap<>();
        map.put("b", 1L);
        map.put(2L, "a");

        // bytes: tag 3a; list: tag 42, ListValue {values: 0a ..}; map: tag 4a, MapValue
        // {entries: 0a <entry>}, MapEntry {key: 0a .., value: 12 ..}.
        assertEquals("0a043a020102", hex(CODEC.encode(List.of(new byte[] {1, 2}))));
        assertEquals("0a0a4208" + "0a021802" + "0a021000", hex(CODEC.encode(List.of(List.of(1L, false)))));
        assertEquals(
                "0a184a16" + "0a09" + "0a03320162" + "12021802" + "0a09" + "0a021804" + "1203320161",
                hex(CODEC.encode(List.of(map))));
    }

    @Test
    void writesAnEmptyPacketListAsAnEmptyBody() throws CodecException {
        assertEquals(0, CODEC.encode(List.of()).length);
        assertEquals(List.of(), CODEC.decode(new byte[0], DecodeLimits.DEFAULT));
    }

    @Test
    void writesAnUnpairedSurrogateAsAQuestionMark() throws CodecException {
        assertEquals(List.of("a?b"), CODEC.decode(CODEC.encode(List.of("a\uD800b")), DecodeLimits.DEFAULT));
    }

    @Test
    void writesByteKeysAsTheStringsTheyEncode() throws CodecException {
        Map<Object, Object> map = new LinkedHashMap<>();
        map.put("k".getBytes(StandardCharsets.UTF_8), 1L);

        assertEquals(List.of(Map.of("k", 1L)), CODEC.decode(CODEC.encode(List.of(map)), DecodeLimits.DEFAULT));
    }

    @Test
    void readsABytesMapKeyAsTheStringItEncodes() throws CodecException {
        // MapEntry { key: Value { bytes_value: "k" }, value: Value { int_value: 1 } }
        assertEquals(List.of(Map.of("k", 1L)), decode("0a0d4a0b" + "0a09" + "0a033a016b" + "12021802"));
    }

    @Test
    void letsALaterDuplicateKeyWinAtTheFirstPosition() throws CodecException {
        // {"a": 1, "b": 2, "a": 3}
        @SuppressWarnings("unchecked")
        Map<Object, Object> map = (Map<Object, Object>) decode("0a234a21"
                        + "0a09" + "0a03320161" + "12021802" + "0a09" + "0a03320162" + "12021804"
                        + "0a09" + "0a03320161" + "12021806")
                .get(0);

        assertEquals(List.of("a", "b"), new ArrayList<>(map.keySet()));
        assertEquals(3L, map.get("a"));
    }

    @Test
    void readsAFixed64BelowTwoTo63AsLong() throws CodecException {
        assertEquals(List.of(5L), decode("0a09210500000000000000"));
        assertInstanceOf(Long.class, decode("0a09210500000000000000").get(0));
    }

    @Test
    void handsTheCallerMutableCollections() throws CodecException {
        List<Object> decoded = CODEC.decode(CODEC.encode(List.of(List.of(), Map.of())), DecodeLimits.DEFAULT);

        decoded.add("more");
        @SuppressWarnings("unchecked")
        List<Object> inner = (List<Object>) decoded.get(0);
        inner.add(1L);
        @SuppressWarnings("unchecked")
        Map<Object, Object> map = (Map<Object, Object>) decoded.get(1);
        map.put("k", 2L);
        assertInstanceOf(LinkedHashMap.class, map);
        assertEquals(3, decoded.size());
    }

    @Test
    void roundTripsEveryPacketListJs2pSent() throws CodecException {
        int count = 0;
        for (GoldenVectors.Frame frame : GoldenVectors.allFrames()) {
            if (!frame.hasPackets() || !(GoldenVectors.value(frame.packetsTyped()) instanceof List<?> packets)) {
                continue;
            }
            List<Object> back = CODEC.decode(CODEC.encode(packets), DecodeLimits.DEFAULT);
            assertTrue(Values.deepEquals(packets, back), frame + ": " + Values.toString(back));
            count++;
        }
        assertTrue(count > 300, "only " + count + " frames");
    }

    @Test
    void roundTripsTheDeepestListThatValuesNormalizeAccepts() throws CodecException {
        Object deepest = List.of();
        for (int level = 1; level < ProtobufCodec.MAX_DEPTH; level++) {
            deepest = List.of(deepest);
        }
        @SuppressWarnings("unchecked")
        List<Object> packets = (List<Object>) deepest;
        DecodeLimits unlimited = new DecodeLimits(Integer.MAX_VALUE, Integer.MAX_VALUE);

        assertEquals(packets, CODEC.decode(CODEC.encode(packets), unlimited));
        assertThrows(IllegalArgumentException.class, () -> CODEC.encode(List.of(packets)));
    }

    @Test
    void refusesAnElementNoCodecCarriesNamingIt() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> CODEC.encode(List.of(0L, List.of("x", new Object()))));

        assertTrue(e.getMessage().startsWith("packets[1][1] has type java.lang.Object"), e.getMessage());
    }

    @Test
    void refusesIntegersBeyondUint64() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> CODEC.encode(List.of(BigInteger.ONE.shiftLeft(64))));

        assertTrue(e.getMessage().startsWith("packets[0]"), e.getMessage());
        assertThrows(
                IllegalArgumentException.class,
                () -> CODEC.encode(List.of(BigInteger.valueOf(-1).shiftLeft(63).subtract(BigInteger.ONE))));
    }

    @Test
    void refusesANullPacketList() {
        assertThrows(NullPointerException.class, () -> CODEC.encode(null));
    }

    @Test
    void refusesASelfContainingList() {
        List<Object> cycle = new ArrayList<>();
        cycle.add(cycle);

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CODEC.encode(cycle));
        assertTrue(e.getMessage().contains("deeper than 64 levels"), e.getMessage());
    }

    @Test
    void encodesFromManyThreadsAtOnce() throws Exception {
        int threads = 4;
        List<Callable<Void>> tasks = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            tasks.add(() -> {
                for (int i = 0; i < 2000; i++) {
                    List<Object> packets = List.of(id, "thread " + id, i, new byte[i % 300], Map.of("i", i));
                    List<Object> decoded = CODEC.decode(CODEC.encode(packets), DecodeLimits.DEFAULT);
                    if (!Values.deepEquals(Values.normalizeList(packets), decoded)) {
                        throw new AssertionError(
                                "thread " + id + " message " + i + " came back as " + Values.toString(decoded));
                    }
                }
                return null;
            });
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            for (Future<Void> done : pool.invokeAll(tasks)) {
                done.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static Class<?> kindOf(Object value) {
        if (value instanceof List) {
            return List.class;
        }
        return value instanceof Map ? Map.class : value.getClass();
    }

    private static List<Object> decode(String hex) throws CodecException {
        return CODEC.decode(bytes(hex), DecodeLimits.DEFAULT);
    }
}
