package dev.jv2p.mesh.internal.wire;

import static dev.jv2p.mesh.testing.GoldenVectors.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jv2p.mesh.internal.Plugins;
import dev.jv2p.mesh.spi.Compression;
import dev.jv2p.mesh.testing.GoldenVectors;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.Adler32;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The built-in frame compression methods: zlib 0x13 and gzip 0x11 (spec §5.1). */
class CompressionTest {

    private static final int LIMIT = 1 << 24;
    private static final ZlibCompression ZLIB = new ZlibCompression();
    private static final GzipCompression GZIP = new GzipCompression();

    static List<Compression> methods() {
        return List.of(ZLIB, GZIP);
    }

    static List<Named<JsonNode>> messages() {
        List<Named<JsonNode>> out = new ArrayList<>();
        GoldenVectors.standalone()
                .required("messages")
                .forEach(m -> out.add(Named.of(m.required("name").asText(), m)));
        return out;
    }

    @Test
    void carriesTheP2pTodayFlagNumbers() {
        assertEquals(0x13, ZLIB.flag());
        assertEquals("zlib", ZLIB.name());
        assertEquals(0x11, GZIP.flag());
        assertEquals("gzip", GZIP.name());
    }

    @Test
    void bothMethodsAreFoundOnTheClassPathByFlag() {
        ClassLoader loader = getClass().getClassLoader();
        Map<String, Compression> found = Plugins.discover(Compression.class, c -> String.valueOf(c.flag()), loader);

        assertInstanceOf(ZlibCompression.class, found.get("19"));
        assertInstanceOf(GzipCompression.class, found.get("17"));
        assertInstanceOf(ZlibCompression.class, Plugins.compression(0x13, List.of(), loader));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("methods")
    void roundTripsBodiesOfEverySize(Compression method) throws IOException {
        long seed = System.nanoTime();
        System.out.println("CompressionTest seed " + seed);
        Random random = new Random(seed);
        for (int size : new int[] {0, 1, 31, 32, 33, 1000, 65_536, 300_000}) {
            byte[] noise = new byte[size];
            random.nextBytes(noise);
            byte[] text = new byte[size];
            Arrays.fill(text, (byte) 'a');

            assertArrayEquals(
                    noise, method.decompress(method.compress(noise), LIMIT), "seed " + seed + ", size " + size);
            assertArrayEquals(text, method.decompress(method.compress(text), LIMIT), "size " + size);
        }
    }

    @Test
    void zlibWritesAnRfc1950ContainerNotRawDeflate() {
        byte[] data = "p2p.today".repeat(20).getBytes(StandardCharsets.US_ASCII);
        byte[] out = ZLIB.compress(data);

        int cmf = out[0] & 0xff;
        int flg = out[1] & 0xff;
        assertEquals(0x78, cmf, "CM = 8 (deflate), CINFO = 7 (32 KiB window)");
        assertEquals(0, (cmf * 256 + flg) % 31, "FCHECK makes the header a multiple of 31");
        assertEquals(0, flg & 0x20, "no preset dictionary");
        Adler32 adler = new Adler32();
        adler.update(data);
        assertEquals(
                adler.getValue(),
                ByteBuffer.wrap(out, out.length - 4, 4).getInt() & 0xffffffffL,
                "big-endian Adler-32 of the data as trailer");
    }

    @Test
    void gzipWritesAnRfc1952Container() {
        byte[] data = "p2p.today".repeat(20).getBytes(StandardCharsets.US_ASCII);
        byte[] out = GZIP.compress(data);

        assertArrayEquals(new byte[] {0x1f, (byte) 0x8b, 0x08}, Arrays.copyOf(out, 3), "ID1 ID2 CM=deflate");
        ByteBuffer trailer = ByteBuffer.wrap(out, out.length - 8, 8).order(ByteOrder.LITTLE_ENDIAN);
        CRC32 crc = new CRC32();
        crc.update(data);
        assertEquals(crc.getValue(), trailer.getInt() & 0xffffffffL, "CRC-32 of the data");
        assertEquals(data.length, trailer.getInt(), "ISIZE");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("messages")
    void readsWhatJs2psZlibjsWrites(JsonNode message) throws IOException {
        byte[] block = body(message.required("frame_uncompressed_hex").asText());

        assertArrayEquals(
                block, ZLIB.decompress(body(message.required("frame_zlib_hex").asText()), LIMIT));
        assertArrayEquals(
                block, GZIP.decompress(body(message.required("frame_gzip_hex").asText()), LIMIT));
    }

    @Test
    void zlibRefusesRawDeflate() {
        // js2p cannot read raw deflate either (spec §5.1): it is not a zlib stream.
        byte[] raw = rawDeflate("raw deflate has no header".getBytes(StandardCharsets.US_ASCII));

        assertThrows(IOException.class, () -> ZLIB.decompress(raw, LIMIT));
    }

    @Test
    void eachMethodRefusesTheOthersContainer() {
        byte[] data = new byte[100];

        assertThrows(IOException.class, () -> ZLIB.decompress(GZIP.compress(data), LIMIT));
        assertThrows(IOException.class, () -> GZIP.decompress(ZLIB.compress(data), LIMIT));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("methods")
    void refusesEveryTruncationOfAStream(Compression method) {
        byte[] whole = method.compress(
                "a frame body that is long enough to matter".repeat(5).getBytes(StandardCharsets.US_ASCII));

        for (int length = 0; length < whole.length; length++) {
            byte[] cut = Arrays.copyOf(whole, length);
            assertThrows(IOException.class, () -> method.decompress(cut, LIMIT), "cut at " + length);
        }
    }

    @Test
    void zlibRefusesBytesAfterTheStream() {
        byte[] whole = ZLIB.compress(new byte[50]);
        byte[] longer = Arrays.copyOf(whole, whole.length + 1);

        IOException e = assertThrows(IOException.class, () -> ZLIB.decompress(longer, LIMIT));
        assertTrue(e.getMessage().contains("trailing bytes"), e.getMessage());
    }

    @Test
    void zlibChecksTheAdler32Trailer() {
        // Stricter than js2p's zlibjs, which skips the check (spec §5.1); js2p never sends a bad one.
        byte[] stream = ZLIB.compress(new byte[50]);
        stream[stream.length - 1] ^= 1;

        assertThrows(IOException.class, () -> ZLIB.decompress(stream, LIMIT));
    }

    @Test
    void gzipChecksTheCrc32Trailer() {
        byte[] stream = GZIP.compress(new byte[50]);
        stream[stream.length - 5] ^= 1;

        assertThrows(IOException.class, () -> GZIP.decompress(stream, LIMIT));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("methods")
    void acceptsAResultExactlyAtTheLimitAndNotOneByteMore(Compression method) throws IOException {
        byte[] data = new byte[10_000];
        byte[] stream = method.compress(data);

        assertArrayEquals(data, method.decompress(stream, data.length));
        IOException e = assertThrows(IOException.class, () -> method.decompress(stream, data.length - 1));
        assertTrue(e.getMessage().contains("exceeds the limit"), e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("methods")
    void stopsInflatingABombAtTheLimit(Compression method) {
        int limit = 64 * 1024;
        byte[] bomb = method.compress(new byte[16 << 20]);
        // Break the trailer (zlib: Adler-32 at the end; gzip: CRC-32 then ISIZE): a decoder
        // that inflated everything would report the broken trailer, not the limit.
        bomb[bomb.length - (method == GZIP ? 5 : 1)] ^= 1;
        assertTrue(bomb.length < 64 * 1024, "a small body: " + bomb.length);

        IOException e = assertThrows(IOException.class, () -> method.decompress(bomb, limit));

        assertTrue(e.getMessage().contains("exceeds the limit of " + limit), e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("methods")
    void refusesRandomBytesWithAnIoExceptionOnly(Compression method) {
        long seed = System.nanoTime();
        System.out.println("CompressionTest random bytes seed " + seed);
        Random random = new Random(seed);
        byte[] valid = method.compress("seed material for mutations".repeat(4).getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < 5_000; i++) {
            byte[] input;
            if (i % 2 == 0) {
                input = new byte[random.nextInt(200)];
                random.nextBytes(input);
            } else {
                input = valid.clone();
                input[random.nextInt(input.length)] ^= (byte) (1 + random.nextInt(255));
            }
            try {
                method.decompress(input, 4096);
            } catch (IOException expected) {
                // the only acceptable failure
            } catch (RuntimeException e) {
                fail("seed " + seed + ", input " + GoldenVectors.hex(input) + ": " + e, e);
            }
        }
    }

    private static byte[] body(String frameHex) {
        byte[] frame = bytes(frameHex);
        return Arrays.copyOfRange(frame, Frames.PREFIX_LENGTH, frame.length);
    }

    private static byte[] rawDeflate(byte[] data) {
        Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        try {
            deflater.setInput(data);
            deflater.finish();
            byte[] out = new byte[data.length + 64];
            int n = deflater.deflate(out);
            assertTrue(deflater.finished(), "the buffer holds the whole raw stream");
            return Arrays.copyOf(out, n);
        } finally {
            deflater.end();
        }
    }
}
