package dev.jv2p.codec.msgpack;

import static dev.jv2p.mesh.testing.GoldenVectors.bytes;
import static dev.jv2p.mesh.testing.GoldenVectors.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jv2p.mesh.internal.Hashes;
import dev.jv2p.mesh.internal.wire.FrameException;
import dev.jv2p.mesh.internal.wire.Frames;
import dev.jv2p.mesh.internal.wire.GzipCompression;
import dev.jv2p.mesh.internal.wire.ZlibCompression;
import dev.jv2p.mesh.spi.CodecException;
import dev.jv2p.mesh.spi.Compression;
import dev.jv2p.mesh.spi.DecodeLimits;
import dev.jv2p.mesh.spi.Values;
import dev.jv2p.mesh.testing.GoldenVectors;
import dev.jv2p.mesh.testing.GoldenVectors.Connection;
import dev.jv2p.mesh.testing.GoldenVectors.Frame;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link MsgpackCodec} and the frame layer against every byte captured from js2p 0.7.870
 * (spec §18): 16 standalone messages and the 315 frames of 18 real connections.
 */
class Js2pGoldenVectorsTest {

    private static final MsgpackCodec CODEC = new MsgpackCodec();
    private static final int MAX_BLOCK = 16 << 20;
    private static final Compression ZLIB = new ZlibCompression();
    private static final Compression GZIP = new GzipCompression();
    /** The methods jv2p supports, by p2p.today id; a receiver ignores the others (spec §5.3). */
    private static final Map<Long, Compression> SUPPORTED = Map.of(0x13L, ZLIB, 0x11L, GZIP);

    /**
     * The one vector whose bytes jv2p writes differently: msgpack-lite puts a 255-byte bin in
     * bin16 ({@code c5 00 ff}), jv2p in bin8 ({@code c4 ff}). Every other format msgpack-lite
     * chose in the vectors is the smallest one, which is what jv2p writes; integers beyond the
     * signed 32-bit range come back as doubles (msgpack-lite sent float64), so they re-encode
     * as float64 too.
     */
    private static final Set<String> WRITTEN_DIFFERENTLY = Set.of("standalone [msgpack-lite edge cases]");

    /** What the probes wrote on purpose to be refused, by their sender note (spec §5.3 table). */
    private static final Set<String> CORRUPTED_ON_PURPOSE = Set.of(
            "corrupted checksum", "raw deflate body", "zlib body, nothing announced", "zlib body, gzip announced");

    static Stream<Named<JsonNode>> namedStandaloneMessages() {
        return standaloneMessages().stream()
                .map(m -> Named.of(m.required("name").asText(), m));
    }

    static List<JsonNode> standaloneMessages() {
        List<JsonNode> out = new ArrayList<>();
        GoldenVectors.standalone().required("messages").forEach(out::add);
        return out;
    }

    @Test
    void theVectorsHold315FramesOf311ThatVerifyAsSpec18Says() {
        List<Frame> frames = GoldenVectors.allFrames();

        assertEquals(315, frames.size());
        assertEquals(311, frames.stream().filter(Frame::checksumOk).count());
        assertEquals(16, standaloneMessages().size());
    }

    @Test
    void everyLengthPrefixCountsTheBodyThatFollows() {
        for (Frame frame : GoldenVectors.allFrames()) {
            byte[] wire = frame.wire();
            assertEquals(
                    frame.lengthPrefix(),
                    Integer.toUnsignedLong(ByteBuffer.wrap(wire).getInt()),
                    frame.label());
            assertEquals(frame.lengthPrefix(), wire.length - Frames.PREFIX_LENGTH, frame.label());
        }
    }

    /**
     * One dynamic test per captured connection: walking its frames in wire order, each is
     * opened with the methods its sender last announced on that connection (handshake element
     * 7, or a renegotiation), verified, decoded and compared with the recorded packet list.
     */
    @TestFactory
    Stream<DynamicTest> everyCapturedFrameOpensWithItsSendersAnnouncedMethodsAndDecodesAsRecorded() {
        return GoldenVectors.connections().stream()
                .map(connection -> DynamicTest.dynamicTest(connection.name(), () -> replay(connection)));
    }

    private static void replay(Connection connection) throws Exception {
        Announcements announced = new Announcements();
        for (Frame frame : connection.frames()) {
            List<Compression> methods = announced.by(frame.from());
            if (!frame.checksumOk()) {
                FrameException e = assertThrows(
                        FrameException.class, () -> Frames.open(frame.body(), methods, MAX_BLOCK), frame.label());
                assertEquals(FrameException.Kind.CHECKSUM, e.kind(), frame.label());
                continue;
            }
            Frames.Block block = Frames.open(frame.body(), methods, MAX_BLOCK);
            assertEquals(
                    frame.compression(),
                    block.usedCompression() == null
                            ? "none"
                            : block.usedCompression().name(),
                    frame.label());
            assertArrayEquals(frame.checksum(), block.checksum(), frame.label());
            assertArrayEquals(frame.msgpack(), block.payload(), frame.label());

            JsonNode typed = frame.packetsTyped();
            if (!"array".equals(typed.required("type").asText())) {
                // The probe's top-level map: js2p threw and closed the connection.
                CodecException e = assertThrows(
                        CodecException.class, () -> CODEC.decode(block.payload(), DecodeLimits.DEFAULT), frame.label());
                assertTrue(e.getMessage().contains("not an array"), e.getMessage());
                continue;
            }
            List<Object> packets = CODEC.decode(block.payload(), DecodeLimits.DEFAULT);
            Object expected = GoldenVectors.value(typed);
            assertTrue(
                    Values.deepEquals(expected, packets),
                    () -> frame.label() + ": decoded " + Values.toString(packets) + ", recorded "
                            + Values.toString(expected));
            announced.observe(frame.from(), packets);
        }
    }

    @Test
    void theFramesWrittenToBeRefusedAreRefusedAndOnlyThose() throws Exception {
        Set<String> refused = new TreeSet<>();
        for (Frame frame : GoldenVectors.allFrames()) {
            if (!frame.checksumOk()) {
                refused.add(frame.json().required("sender_note").asText());
                assertFalse(frame.hasPackets(), frame.label());
            }
        }

        assertEquals(new TreeSet<>(CORRUPTED_ON_PURPOSE), refused);
        assertEquals(
                1,
                GoldenVectors.allFrames().stream()
                        .filter(f -> f.hasPackets()
                                && !"array"
                                        .equals(f.packetsTyped()
                                                .required("type")
                                                .asText()))
                        .count(),
                "exactly one body is a top-level map");
    }

    @Test
    void theMisCompressedFramesCarryAValidBlockThatOnlyTheWrongAnnouncementHides() throws Exception {
        for (Frame frame : GoldenVectors.allFrames()) {
            if (frame.checksumOk()) {
                continue;
            }
            String note = frame.json().required("sender_note").asText();
            switch (note) {
                case "zlib body, nothing announced", "zlib body, gzip announced" ->
                    // Had the sender announced zlib, the frame would have verified.
                    assertSame(
                            ZLIB,
                            Frames.open(frame.body(), List.of(ZLIB), MAX_BLOCK).usedCompression(),
                            note);
                case "raw deflate body" -> {
                    byte[] block = inflateRaw(frame.body());
                    byte[] payload = Arrays.copyOfRange(block, Frames.CHECKSUM_LENGTH, block.length);
                    assertArrayEquals(Hashes.sha256(payload), Arrays.copyOf(block, Frames.CHECKSUM_LENGTH), note);
                    assertThrows(FrameException.class, () -> Frames.open(frame.body(), List.of(ZLIB, GZIP), MAX_BLOCK));
                }
                case "corrupted checksum" -> {
                    byte[] body = frame.body();
                    byte[] payload = Arrays.copyOfRange(body, Frames.CHECKSUM_LENGTH, body.length);
                    byte[] stated = Arrays.copyOf(body, Frames.CHECKSUM_LENGTH);
                    byte[] actual = Hashes.sha256(payload);
                    assertFalse(Arrays.equals(stated, actual), note);
                    // Only the first byte was flipped: the rest is a correct SHA-256.
                    assertArrayEquals(Arrays.copyOfRange(actual, 1, 32), Arrays.copyOfRange(stated, 1, 32), note);
                    assertTrue(CODEC.decode(payload, DecodeLimits.DEFAULT).size() > 3, note);
                }
                default -> fail("an unexpected corrupted frame: " + frame.label() + " (" + note + ")");
            }
        }
    }

    /**
     * The vectors record which methods js2p tried on each frame. js2p stops at the first one
     * that inflates, so a record may be a prefix of the announced list. One quirk of the
     * capture: for a scripted probe's own first handshake it lists the methods that very
     * handshake announces, which js2p could not yet know; handshakes are never compressed, so
     * it makes no difference to the outcome.
     */
    @Test
    void theTrackedAnnouncementsAgreeWithTheAttemptsJs2pRecorded() throws Exception {
        int checked = 0;
        for (Connection connection : GoldenVectors.connections()) {
            Announcements announced = new Announcements();
            for (Frame frame : connection.frames()) {
                List<String> tracked = names(announced.by(frame.from()));
                List<String> recorded = frame.recordedAttempts();
                List<Object> packets = frame.checksumOk() && isArray(frame)
                        ? CODEC.decode(frame.msgpack(), DecodeLimits.DEFAULT)
                        : null;
                if (!consistent(recorded, tracked, frame.lastRecordedAttemptSucceeded())) {
                    List<?> own = packets == null ? null : Announcements.announcedIn(packets);
                    boolean probesFirstHandshake = frame.builtByProbe()
                            && tracked.isEmpty()
                            && own != null
                            && consistent(recorded, names(Announcements.supported(own)), false);
                    assertTrue(
                            probesFirstHandshake,
                            frame.label() + ": tracked " + tracked + " but js2p recorded " + recorded);
                }
                if (packets != null) {
                    announced.observe(frame.from(), packets);
                }
                checked++;
            }
        }
        assertEquals(315, checked);
    }

    @Test
    void everyMessageIdIsTheSha256OfTheMsgpackBytes() {
        for (JsonNode message : standaloneMessages()) {
            assertEquals(
                    message.required("message_id_hex").asText(),
                    hex(Hashes.sha256(bytes(message.required("msgpack_hex").asText()))),
                    message.required("name").asText());
        }
        for (Frame frame : GoldenVectors.allFrames()) {
            if (frame.hasPackets()) {
                assertArrayEquals(frame.checksum(), Hashes.sha256(frame.msgpack()), frame.label());
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("namedStandaloneMessages")
    void aStandaloneMessageDecodesToItsRecordedPackets(JsonNode message) throws CodecException {
        List<Object> packets =
                CODEC.decode(bytes(message.required("msgpack_hex").asText()), DecodeLimits.DEFAULT);

        Object expected = GoldenVectors.value(message.required("packets_typed"));
        assertTrue(
                Values.deepEquals(expected, packets),
                () -> "decoded " + Values.toString(packets) + ", recorded " + Values.toString(expected));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("namedStandaloneMessages")
    void uncompressedZlibAndGzipFramesOpenToTheSameBlock(JsonNode message) throws FrameException {
        byte[] msgpack = bytes(message.required("msgpack_hex").asText());
        byte[] plain = body(message.required("frame_uncompressed_hex").asText());
        byte[] zlib = body(message.required("frame_zlib_hex").asText());
        byte[] gzip = body(message.required("frame_gzip_hex").asText());

        Frames.Block fromPlain = Frames.open(plain, List.of(), MAX_BLOCK);
        Frames.Block fromZlib = Frames.open(zlib, List.of(ZLIB), MAX_BLOCK);
        Frames.Block fromGzip = Frames.open(gzip, List.of(GZIP), MAX_BLOCK);

        assertArrayEquals(msgpack, fromPlain.payload());
        assertArrayEquals(msgpack, fromZlib.payload());
        assertArrayEquals(msgpack, fromGzip.payload());
        assertArrayEquals(bytes(message.required("message_id_hex").asText()), fromZlib.checksum());
        assertArrayEquals(fromPlain.checksum(), fromGzip.checksum());
        // Announcing js2p's own list [zlib, gzip], each still opens with the method it used.
        assertNull(Frames.open(plain, List.of(ZLIB, GZIP), MAX_BLOCK).usedCompression());
        assertSame(ZLIB, Frames.open(zlib, List.of(ZLIB, GZIP), MAX_BLOCK).usedCompression());
        assertSame(GZIP, Frames.open(gzip, List.of(ZLIB, GZIP), MAX_BLOCK).usedCompression());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("namedStandaloneMessages")
    void framesJv2pCompressesWithZlibAndGzipOpenAgain(JsonNode message) throws Exception {
        List<Object> packets =
                CODEC.decode(bytes(message.required("msgpack_hex").asText()), DecodeLimits.DEFAULT);
        byte[] block = Frames.block(CODEC.encode(packets));

        for (Compression method : List.of(ZLIB, GZIP)) {
            byte[] frame = Frames.frame(Frames.body(block, method));
            byte[] body = Arrays.copyOfRange(frame, Frames.PREFIX_LENGTH, frame.length);
            assertEquals(body.length, ByteBuffer.wrap(frame).getInt());

            Frames.Block opened = Frames.open(body, List.of(ZLIB, GZIP), MAX_BLOCK);

            assertSame(method, opened.usedCompression());
            assertTrue(Values.deepEquals(packets, CODEC.decode(opened.payload(), DecodeLimits.DEFAULT)), method.name());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("namedStandaloneMessages")
    void jv2pBuildsTheSameUncompressedFrameAsJs2pWhereTheBytesAgree(JsonNode message) throws CodecException {
        String name = "standalone [" + message.required("name").asText() + "]";
        List<Object> packets =
                CODEC.decode(bytes(message.required("msgpack_hex").asText()), DecodeLimits.DEFAULT);

        String frame = hex(Frames.frame(Frames.block(CODEC.encode(packets))));

        assertEquals(
                !WRITTEN_DIFFERENTLY.contains(name),
                message.required("frame_uncompressed_hex").asText().equals(frame),
                name);
    }

    @Test
    void reEncodingGivesTheCapturedBytesExceptForTheBin16OfA255ByteBin() throws CodecException {
        Set<String> differing = new LinkedHashSet<>();
        for (Captured captured : capturedPacketLists()) {
            byte[] again = CODEC.encode(CODEC.decode(captured.msgpack(), DecodeLimits.DEFAULT));
            if (!Arrays.equals(captured.msgpack(), again)) {
                differing.add(captured.name());
            }
        }

        assertEquals(WRITTEN_DIFFERENTLY, differing);
        assertEquals(16 + 310, capturedPacketLists().size());
    }

    @Test
    void theEdgeCaseVectorDiffersOnlyByWritingBin8WhereMsgpackLiteWroteBin16() throws CodecException {
        JsonNode edge = standaloneMessages().stream()
                .filter(m -> m.required("name").asText().equals("msgpack-lite edge cases"))
                .findFirst()
                .orElseThrow();
        String captured = edge.required("msgpack_hex").asText();
        String bin16 = "c500ff" + "02".repeat(255);
        assertEquals(1, occurrences(captured, bin16));

        String jv2p = hex(CODEC.encode(CODEC.decode(bytes(captured), DecodeLimits.DEFAULT)));

        assertEquals(captured.replace(bin16, "c4ff" + "02".repeat(255)), jv2p);
    }

    @Test
    void theFormatsMsgpackLiteChoseAreJv2psExceptTheBin16Of255Bytes() {
        Set<String> withOtherFormats = new LinkedHashSet<>();
        List<String> unexplained = new ArrayList<>();
        for (Captured captured : capturedPacketLists()) {
            List<String> differences = new ArrayList<>();
            compareFormats(captured.typed(), differences);
            if (!differences.isEmpty()) {
                withOtherFormats.add(captured.name());
            }
            for (String difference : differences) {
                if (!difference.equals("bin16 for 255 bytes, jv2p writes bin8")) {
                    unexplained.add(captured.name() + ": " + difference);
                }
            }
        }

        assertEquals(List.of(), unexplained);
        assertEquals(WRITTEN_DIFFERENTLY, withOtherFormats);
    }

    @Test
    void aTimeAt2To31StaysFloat64BecauseItDecodesAsADouble() throws CodecException {
        JsonNode future = standaloneMessages().stream()
                .filter(m -> m.required("name").asText().startsWith("time at 2^31"))
                .findFirst()
                .orElseThrow();
        byte[] msgpack = bytes(future.required("msgpack_hex").asText());

        List<Object> packets = CODEC.decode(msgpack, DecodeLimits.DEFAULT);

        assertInstanceOf(Double.class, packets.get(2));
        assertEquals(2147483648.0, packets.get(2));
        assertArrayEquals(msgpack, CODEC.encode(packets));
    }

    // ---- helpers ------------------------------------------------------------------------

    /** The compression lists each node of one connection announced, as a receiver tracks them. */
    private static final class Announcements {
        private final Map<String, List<Compression>> bySender = new HashMap<>();

        List<Compression> by(String sender) {
            return bySender.getOrDefault(sender, List.of());
        }

        void observe(String sender, List<Object> packets) {
            List<?> methods = announcedIn(packets);
            if (methods != null) {
                bySender.put(sender, supported(methods));
            }
        }

        /** Element 7 of a handshake, or the list of a renegotiation; null for other packets. */
        static List<?> announcedIn(List<Object> packets) {
            boolean handshake = packets.size() == 8 && Long.valueOf(5).equals(packets.get(3));
            boolean renegotiation = packets.size() == 5
                    && Long.valueOf(1).equals(packets.get(0))
                    && Long.valueOf(1).equals(packets.get(3));
            Object list = handshake ? packets.get(7) : renegotiation ? packets.get(4) : null;
            return list instanceof List<?> methods ? methods : null;
        }

        /** The announced methods this node supports, in the sender's order (spec §5.3 step 1). */
        static List<Compression> supported(List<?> announced) {
            List<Compression> out = new ArrayList<>();
            for (Object id : announced) {
                Compression method = SUPPORTED.get(id);
                if (method != null) {
                    out.add(method);
                }
            }
            return out;
        }
    }

    private static boolean consistent(List<String> recorded, List<String> tracked, boolean stoppedAtSuccess) {
        if (stoppedAtSuccess) {
            return recorded.size() <= tracked.size()
                    && tracked.subList(0, recorded.size()).equals(recorded);
        }
        return recorded.equals(tracked);
    }

    private static List<String> names(List<Compression> methods) {
        return methods.stream().map(Compression::name).toList();
    }

    private static boolean isArray(Frame frame) {
        return frame.hasPackets()
                && "array".equals(frame.packetsTyped().required("type").asText());
    }

    private record Captured(String name, byte[] msgpack, JsonNode typed) {}

    /** Every captured packet list: the standalone messages, then every decodable frame. */
    private static List<Captured> capturedPacketLists() {
        List<Captured> out = new ArrayList<>();
        for (JsonNode message : standaloneMessages()) {
            out.add(new Captured(
                    "standalone [" + message.required("name").asText() + "]",
                    bytes(message.required("msgpack_hex").asText()),
                    message.required("packets_typed")));
        }
        for (Frame frame : GoldenVectors.allFrames()) {
            if (frame.checksumOk() && isArray(frame)) {
                out.add(new Captured(frame.label(), frame.msgpack(), frame.packetsTyped()));
            }
        }
        return out;
    }

    /** Adds a line for every element whose recorded format is not the one jv2p writes. */
    private static void compareFormats(JsonNode typed, List<String> differences) {
        String type = typed.required("type").asText();
        String recorded = typed.path("format").asText(null);
        String jv2p = jv2pFormat(typed);
        if (recorded != null && !recorded.equals(jv2p)) {
            String size = type.equals("bin")
                    ? " for " + typed.required("hex").asText().length() / 2 + " bytes"
                    : "";
            differences.add(recorded + size + ", jv2p writes " + jv2p);
        }
        typed.path("items").forEach(item -> compareFormats(item, differences));
        typed.path("entries").forEach(entry -> entry.forEach(part -> compareFormats(part, differences)));
    }

    /** The format {@link MsgpackCodec} chooses for a value (spec §6.4: always the smallest). */
    private static String jv2pFormat(JsonNode typed) {
        switch (typed.required("type").asText()) {
            case "int": {
                long v = typed.required("value").asLong();
                if (v >= 0) {
                    return v < 128 ? "positive fixint" : sized(v, "uint");
                }
                if (v >= -32) {
                    return "negative fixint";
                }
                return v >= -128 ? "int8" : v >= -32768 ? "int16" : v >= Integer.MIN_VALUE ? "int32" : "int64";
            }
            case "float":
                return "float64";
            case "str":
                int length = typed.required("value").asText().getBytes(StandardCharsets.UTF_8).length;
                return length < 32 ? "fixstr" : length < 256 ? "str8" : length < 65536 ? "str16" : "str32";
            case "bin":
                int size = typed.required("hex").asText().length() / 2;
                return size < 256 ? "bin8" : size < 65536 ? "bin16" : "bin32";
            case "array":
                int items = typed.required("items").size();
                return items < 16 ? "fixarray" : items < 65536 ? "array16" : "array32";
            case "map":
                int entries = typed.required("entries").size();
                return entries < 16 ? "fixmap" : entries < 65536 ? "map16" : "map32";
            default:
                return null;
        }
    }

    private static String sized(long v, String prefix) {
        return v < 256 ? prefix + "8" : v < 65536 ? prefix + "16" : v < (1L << 32) ? prefix + "32" : prefix + "64";
    }

    private static byte[] body(String frameHex) {
        byte[] frame = bytes(frameHex);
        return Arrays.copyOfRange(frame, Frames.PREFIX_LENGTH, frame.length);
    }

    private static byte[] inflateRaw(byte[] data) throws DataFormatException {
        Inflater inflater = new Inflater(true);
        try {
            inflater.setInput(data);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[4096];
            while (!inflater.finished()) {
                int n = inflater.inflate(buffer);
                if (n == 0 && inflater.needsInput()) {
                    throw new DataFormatException("truncated raw deflate");
                }
                out.write(buffer, 0, n);
            }
            return out.toByteArray();
        } finally {
            inflater.end();
        }
    }

    private static int occurrences(String haystack, String needle) {
        int count = 0;
        for (int at = haystack.indexOf(needle); at >= 0; at = haystack.indexOf(needle, at + 1)) {
            count++;
        }
        return count;
    }
}
