package dev.jv2p.codec.msgpack;

import static dev.jv2p.mesh.testing.GoldenVectors.bytes;
import static dev.jv2p.mesh.testing.GoldenVectors.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jv2p.mesh.Protocol;
import dev.jv2p.mesh.internal.Plugins;
import dev.jv2p.mesh.spi.Codec;
import dev.jv2p.mesh.spi.CodecException;
import dev.jv2p.mesh.spi.DecodeLimits;
import dev.jv2p.mesh.spi.Values;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What {@link MsgpackCodec} writes (spec §6.4) and how it reads every msgpack format js2p may send. */
class MsgpackCodecTest {

    private static final MsgpackCodec CODEC = new MsgpackCodec();
    private static final BigInteger TWO_TO_63 = BigInteger.ONE.shiftLeft(63);

    @Test
    void isFoundOnTheClassPathAsMsgpack() {
        ClassLoader loader = getClass().getClassLoader();

        assertEquals("msgpack", CODEC.name());
        assertInstanceOf(MsgpackCodec.class, Plugins.codec("msgpack", List.of(), loader));
        assertInstanceOf(
                MsgpackCodec.class,
                Plugins.discover(Codec.class, Codec::name, loader).get("msgpack"));
    }

    @Test
    void isTheCodecOfJs2pCompatibleProtocols() {
        assertEquals(Protocol.DEFAULT_CODEC, MsgpackCodec.NAME);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "0, 00",
        "127, 7f",
        "128, cc80",
        "255, ccff",
        "256, cd0100",
        "65535, cdffff",
        "65536, ce00010000",
        "2147483648, ce80000000",
        "4294967295, ceffffffff",
        "4294967296, cf0000000100000000",
        "9223372036854775807, cf7fffffffffffffff",
        "-1, ff",
        "-32, e0",
        "-33, d0df",
        "-128, d080",
        "-129, d1ff7f",
        "-32768, d18000",
        "-32769, d2ffff7fff",
        "-2147483648, d280000000",
        "-2147483649, d3ffffffff7fffffff",
        "-9223372036854775808, d38000000000000000",
    })
    void writesEveryIntegerInItsSmallestEncoding(long value, String expected) {
        assertEquals(expected, element(value));
    }

    @Test
    void writesIntegersFrom2To63AsUint64() {
        assertEquals("cf8000000000000000", element(TWO_TO_63));
        assertEquals("cfffffffffffffffff", element(BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE)));
    }

    @Test
    void writesOtherBoxedIntegersAsIntegers() {
        assertEquals("05", element(5));
        assertEquals("d1ff7f", element((short) -129));
        assertEquals("d080", element((byte) -128));
        assertEquals("7f", element(BigInteger.valueOf(127)));
    }

    @Test
    void writesEveryFloatingPointNumberAsFloat64() {
        assertEquals("cb3ff8000000000000", element(1.5));
        assertEquals("cb3ff8000000000000", element(1.5f));
        assertEquals("cb41e0000000000000", element(2147483648.0), "the float64 msgpack-lite writes for 2^31");
        assertEquals("cb8000000000000000", element(-0.0));
        assertEquals("cb7ff8000000000000", element(Double.NaN));
    }

    @ParameterizedTest(name = "{0} bytes -> {1}")
    @CsvSource({"0, a0", "31, bf", "32, d920", "255, d9ff", "256, da0100", "65535, daffff", "65536, db00010000"})
    void writesStringsWithTheSmallestHeaderForTheirUtf8Length(int length, String header) {
        String text = "s".repeat(length);

        assertEquals(header + hex(text.getBytes(StandardCharsets.US_ASCII)), element(text));
    }

    @Test
    void countsUtf8BytesNotCharsForTheStringHeader() {
        assertEquals("a2c3a9", element("é"));
        assertEquals("a4f09f9880", element("😀"));
        // 16 chars of 2 bytes each: 32 bytes, so str8 although 16 chars would fit a fixstr.
        assertEquals("d920", element("é".repeat(16)).substring(0, 4));
    }

    @Test
    void writesAnUnpairedSurrogateAsAQuestionMark() {
        assertEquals("a3613f62", element("a\uD800b"));
    }

    @ParameterizedTest(name = "{0} bytes -> {1}")
    @CsvSource({"0, c400", "1, c401", "254, c4fe", "255, c4ff", "256, c50100", "65535, c5ffff", "65536, c600010000"})
    void writesBytesAsBinWithTheSmallestHeader(int length, String header) {
        // 255 bytes take bin8 here; msgpack-lite uses bin16 from 255 on (spec §6.2). Both are valid.
        byte[] data = new byte[length];
        Arrays.fill(data, (byte) 7);

        assertEquals(header + hex(data), element(data));
    }

    @Test
    void writesListsAsArraysWithTheSmallestHeader() {
        assertEquals("90", element(List.of()));
        assertEquals("9f", element(Collections.nCopies(15, 0L)).substring(0, 2));
        assertEquals("dc0010", element(Collections.nCopies(16, 0L)).substring(0, 6));
        assertEquals("dd00010000", element(Collections.nCopies(65536, 0L)).substring(0, 10));
    }

    @Test
    void writesMapsInTheirIterationOrder() {
        Map<Object, Object> map = new LinkedHashMap<>();
        map.put("b", 1);
        map.put("a", 2);

        assertEquals("82a16201a16102", element(map));
    }

    @Test
    void writesLargeMapsWithMap16() {
        Map<Object, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < 16; i++) {
            map.put("k" + i, i);
        }

        assertEquals("de0010", element(map).substring(0, 6));
    }

    @Test
    void writesByteKeysAsTheStringsTheyEncode() {
        Map<Object, Object> map = new LinkedHashMap<>();
        map.put("k".getBytes(StandardCharsets.UTF_8), 1);

        assertEquals("81a16b01", element(map));
    }

    @Test
    void writesBooleansAndNil() {
        assertEquals(
                "c3c2c0", hex(CODEC.encode(Arrays.asList(true, false, null))).substring(2));
    }

    @Test
    void writesTheAnnotatedStoreOfTheSpec() {
        // Spec §3.1: [0, "nodeA", 1700000000, 11, bin "k", str "v"].
        List<Object> packets = List.of(0, "nodeA", 1_700_000_000, 11, "k".getBytes(StandardCharsets.UTF_8), "v");

        assertEquals("9600a56e6f646541ce6553f1000bc4016ba176", hex(CODEC.encode(packets)));
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
    }

    @Test
    void refusesANullPacketList() {
        assertThrows(NullPointerException.class, () -> CODEC.encode(null));
    }

    @Test
    void encodesCorrectlyAfterARefusedList() {
        assertThrows(IllegalArgumentException.class, () -> CODEC.encode(List.of(new Object())));

        assertEquals("9101", hex(CODEC.encode(List.of(1L))));
    }

    @Test
    void encodesSmallListsCorrectlyAfterALargeOne() {
        byte[] big = new byte[1 << 20];
        Arrays.fill(big, (byte) 3);
        byte[] encodedBig = CODEC.encode(List.of(big));

        assertEquals(5 + big.length + 1, encodedBig.length);
        assertEquals("9102", hex(CODEC.encode(List.of(2L))));
        assertEquals("92a178c403010203", hex(CODEC.encode(List.of("x", new byte[] {1, 2, 3}))));
    }

    @Test
    void encodesFromManyThreadsAtOnce() throws Exception {
        int threads = 4;
        List<Callable<Void>> tasks = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            tasks.add(() -> {
                for (int i = 0; i < 2000; i++) {
                    List<Object> packets = List.of(id, "thread " + id, i, new byte[i % 300]);
                    byte[] encoded = CODEC.encode(packets);
                    List<Object> decoded = CODEC.decode(encoded, DecodeLimits.DEFAULT);
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

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "917f, 127",
        "91cc80, 128",
        "91cd0100, 256",
        "91ce00010000, 65536",
        "91cf0000000000000001, 1",
        "91cf7fffffffffffffff, 9223372036854775807",
        "91ff, -1",
        "91d080, -128",
        "91d18000, -32768",
        "91d280000000, -2147483648",
        "91d38000000000000000, -9223372036854775808",
        // Wider than needed is still fine: only js2p's reader matters, and it accepts it.
        "91d000, 0",
        "91cd0001, 1",
        "91d3ffffffffffffffff, -1",
    })
    void readsEveryIntegerWidthAsLong(String body, long expected) throws CodecException {
        assertEquals(List.of(expected), decode(body));
    }

    @Test
    void readsUint64AboveLongMaxAsBigInteger() throws CodecException {
        assertEquals(List.of(TWO_TO_63), decode("91cf8000000000000000"));
        assertEquals(List.of(BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE)), decode("91cfffffffffffffffff"));
    }

    @Test
    void readsFloat32AndFloat64AsDouble() throws CodecException {
        assertEquals(List.of(1.5, 1.5), decode("92ca3fc00000cb3ff8000000000000"));
        assertEquals(List.of(2147483648.0), decode("91cb41e0000000000000"), "a time after 2038 from js2p");
    }

    @Test
    void readsEveryStringAndBinWidth() throws CodecException {
        List<Object> decoded = decode("97a161d90162da000162db00000001" + "62c40163c5000163c60000000163");

        assertEquals(List.of("a", "b", "b", "b"), decoded.subList(0, 4));
        for (int i = 4; i < 7; i++) {
            assertArrayEquals(new byte[] {'c'}, (byte[]) decoded.get(i));
        }
    }

    @Test
    void keepsStrAndBinApart() throws CodecException {
        List<Object> decoded = decode("92a16bc4016b");

        assertInstanceOf(String.class, decoded.get(0));
        assertInstanceOf(byte[].class, decoded.get(1));
    }

    @Test
    void readsNilAndBooleans() throws CodecException {
        assertEquals(Arrays.asList(null, true, false), decode("93c0c3c2"));
    }

    @Test
    void readsEveryArrayAndMapWidth() throws CodecException {
        List<Object> decoded = decode("94dc000101dd0000000102de0001a16103df00000001a16204");

        assertEquals(List.of(List.of(1L), List.of(2L), Map.of("a", 3L), Map.of("b", 4L)), decoded);
    }

    @Test
    void keepsTheWireOrderOfMapKeys() throws CodecException {
        // msgpack-lite writes integer-like keys first; the decoder must not reorder anything.
        @SuppressWarnings("unchecked")
        Map<Object, Object> map =
                (Map<Object, Object>) decode("9184a13204a2313003a16201a16102").get(0);

        assertInstanceOf(LinkedHashMap.class, map);
        assertEquals(List.of("2", "10", "b", "a"), new ArrayList<>(map.keySet()));
    }

    @Test
    void letsALaterDuplicateKeyWinAtTheFirstPositionLikeAJavaScriptObject() throws CodecException {
        @SuppressWarnings("unchecked")
        Map<Object, Object> map =
                (Map<Object, Object>) decode("9183a16101a16202a16103").get(0);

        assertEquals(List.of("a", "b"), new ArrayList<>(map.keySet()));
        assertEquals(3L, map.get("a"));
    }

    @Test
    void readsABinMapKeyAsTheStringItEncodes() throws CodecException {
        assertEquals(List.of(Map.of("k", 1L)), decode("9181c4016b01"));
    }

    @Test
    void keepsTheTypeOfOtherMapKeys() throws CodecException {
        assertEquals(List.of(Map.of(1L, "one")), decode("918101a36f6e65"));
    }

    @Test
    void handsTheCallerMutableCollections() throws CodecException {
        List<Object> decoded = decode("9290" + "80");

        decoded.add("more");
        @SuppressWarnings("unchecked")
        List<Object> inner = (List<Object>) decoded.get(0);
        inner.add(1L);
        @SuppressWarnings("unchecked")
        Map<Object, Object> map = (Map<Object, Object>) decoded.get(1);
        map.put("k", 2L);
        assertEquals(3, decoded.size());
    }

    @Test
    void readsAnEmptyPacketList() throws CodecException {
        assertEquals(List.of(), decode("90"));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        // Node (WHATWG) replaces each maximal invalid subpart with one U+FFFD.
        "ff, \uFFFD",
        "61ff62, a\uFFFDb",
        "80, \uFFFD",
        "c2, \uFFFD",
        "c080, \uFFFD\uFFFD",
        "c1bf, \uFFFD\uFFFD",
        "e282, \uFFFD",
        "e28241, \uFFFDA",
        "e08080, \uFFFD\uFFFD\uFFFD",
        "f0808080, \uFFFD\uFFFD\uFFFD\uFFFD",
        "f09f98, \uFFFD",
        "f09f98e282, \uFFFD\uFFFD",
        "f4908080, \uFFFD\uFFFD\uFFFD\uFFFD",
        "f5, \uFFFD",
        // Encoded surrogates: the JDK alone would give a single U+FFFD for the three bytes.
        "eda080, \uFFFD\uFFFD\uFFFD",
        "edbfbf, \uFFFD\uFFFD\uFFFD",
        "eda0, \uFFFD\uFFFD",
        "ed, \uFFFD",
        "ed9fbf, \uD7FF",
        "efbfbd, \uFFFD",
        "f09f9880, \uD83D\uDE00",
    })
    void replacesMalformedUtf8InStringsAsJs2pDoes(String utf8, String expected) throws CodecException {
        byte[] str = bytes(utf8);
        String body = "91" + (str.length < 32 ? String.format("%02x", 0xa0 | str.length) : "") + utf8;

        assertEquals(List.of(expected), decode(body));
    }

    @Test
    void replacesMalformedUtf8InBinMapKeysAsJs2pDoes() throws CodecException {
        assertEquals(List.of(Map.of("\uFFFD\uFFFD\uFFFD", 1L)), decode("9181c403eda08001"));
    }

    private static String element(Object value) {
        // A one-element packet list: fixarray header 91, then the element.
        String hex = hex(CODEC.encode(Collections.singletonList(value)));
        assertEquals("91", hex.substring(0, 2));
        return hex.substring(2);
    }

    private static List<Object> decode(String hex) throws CodecException {
        return CODEC.decode(bytes(hex), DecodeLimits.DEFAULT);
    }
}
