package dev.jv2p.mesh.internal.wire;

import static dev.jv2p.mesh.testing.GoldenVectors.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jv2p.mesh.internal.Hashes;
import dev.jv2p.mesh.spi.Compression;
import dev.jv2p.mesh.testing.GoldenVectors;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;

/** The frame body: checksum, compression and the receive rule of spec §3–§5. */
class FramesTest {

    private static final int LIMIT = 1 << 20;
    private static final Compression ZLIB = new ZlibCompression();
    private static final Compression GZIP = new GzipCompression();
    private static final byte[] PAYLOAD =
            "any codec bytes; Frames does not look inside".getBytes(StandardCharsets.UTF_8);

    @Test
    void buildsTheAnnotatedExampleOfTheSpecByteForByte() {
        JsonNode example = annotatedExample();
        byte[] msgpack = bytes(example.required("msgpack_hex").asText());

        byte[] frame = Frames.frame(Frames.body(Frames.block(msgpack), null));

        assertEquals(example.required("frame_uncompressed_hex").asText(), GoldenVectors.hex(frame));
    }

    @Test
    void aBlockIsTheSha256OfThePayloadFollowedByThePayload() {
        byte[] block = Frames.block(PAYLOAD);

        assertEquals(Frames.CHECKSUM_LENGTH + PAYLOAD.length, block.length);
        assertArrayEquals(Hashes.sha256(PAYLOAD), Arrays.copyOf(block, Frames.CHECKSUM_LENGTH));
        assertArrayEquals(PAYLOAD, Arrays.copyOfRange(block, Frames.CHECKSUM_LENGTH, block.length));
    }

    @Test
    void theLengthPrefixCountsTheBodyBigEndianWithoutItself() {
        byte[] frame = Frames.frame(new byte[300]);

        assertEquals(Frames.PREFIX_LENGTH + 300, frame.length);
        assertArrayEquals(new byte[] {0, 0, 1, 44}, Arrays.copyOf(frame, Frames.PREFIX_LENGTH));
        assertArrayEquals(new byte[] {0, 0, 0, 0}, Frames.frame(new byte[0]));
    }

    @Test
    void anUncompressedBodyIsTheBlockItself() {
        byte[] block = Frames.block(PAYLOAD);

        assertSame(block, Frames.body(block, null));
    }

    @Test
    void opensAnUncompressedBodyWhenTheSenderAnnouncedNothing() throws FrameException {
        Frames.Block opened = Frames.open(Frames.block(PAYLOAD), List.of(), LIMIT);

        assertArrayEquals(PAYLOAD, opened.payload());
        assertArrayEquals(Hashes.sha256(PAYLOAD), opened.checksum());
        assertNull(opened.usedCompression());
    }

    @Test
    void opensACompressedBodyWithTheAnnouncedMethod() throws FrameException {
        byte[] block = Frames.block(PAYLOAD);

        assertSame(
                ZLIB,
                Frames.open(Frames.body(block, ZLIB), List.of(ZLIB), LIMIT).usedCompression());
        assertSame(
                GZIP,
                Frames.open(Frames.body(block, GZIP), List.of(GZIP), LIMIT).usedCompression());
    }

    @Test
    void triesTheSendersMethodsInTheSendersOrderUntilOneWorks() throws FrameException {
        // zlib fails on a gzip body, so gzip is tried next (spec §5.3, vector "gzip body while
        // announcing [zlib, gzip]").
        Frames.Block opened = Frames.open(Frames.body(Frames.block(PAYLOAD), GZIP), List.of(ZLIB, GZIP), LIMIT);

        assertSame(GZIP, opened.usedCompression());
        assertArrayEquals(PAYLOAD, opened.payload());
    }

    @Test
    void fallsBackToTheRawBodyWhenEveryAnnouncedMethodFails() throws FrameException {
        // js2p accepts an uncompressed frame from a peer that announced gzip (spec §5.3 step 3).
        Frames.Block opened = Frames.open(Frames.block(PAYLOAD), List.of(ZLIB, GZIP), LIMIT);

        assertNull(opened.usedCompression());
        assertArrayEquals(PAYLOAD, opened.payload());
    }

    @Test
    void aMethodThatInflatesToAnUnverifiedBlockDoesNotEndTheSearch() throws FrameException {
        // Stricter than js2p, which keeps the first result that inflates: a method that does not
        // detect errors (zlibjs skips Adler-32) must not hide the raw body that does verify.
        Compression inflatesToGarbage =
                new FixedOutput("forty bytes that are no block at all ....".getBytes(StandardCharsets.UTF_8));
        byte[] block = Frames.block(PAYLOAD);
        byte[] corrupted = block.clone();
        corrupted[0] ^= 1;
        Compression inflatesToCorrupted = new FixedOutput(corrupted);

        Frames.Block opened = Frames.open(block, List.of(inflatesToGarbage, inflatesToCorrupted), LIMIT);

        assertNull(opened.usedCompression());
        assertArrayEquals(PAYLOAD, opened.payload());
    }

    @Test
    void refusesABodyWhoseChecksumFailsAfterEveryAttempt() {
        byte[] block = Frames.block(PAYLOAD);
        block[5] ^= 0x40;

        for (byte[] body : List.of(block, Frames.body(block, ZLIB), Frames.body(block, GZIP))) {
            FrameException e = assertThrows(FrameException.class, () -> Frames.open(body, List.of(ZLIB, GZIP), LIMIT));
            assertEquals(FrameException.Kind.CHECKSUM, e.kind());
            assertTrue(e.getMessage().contains("checksum mismatch"), e.getMessage());
        }
    }

    @Test
    void refusesACompressedBodyWhoseMethodWasNotAnnounced() {
        // The vector "zlib body while announcing nothing": js2p does not try zlib, so the raw
        // body (zlib bytes) fails the checksum and the connection closes.
        byte[] zlibBody = Frames.body(Frames.block(PAYLOAD), ZLIB);

        assertEquals(
                FrameException.Kind.CHECKSUM,
                assertThrows(FrameException.class, () -> Frames.open(zlibBody, List.of(), LIMIT))
                        .kind());
        assertEquals(
                FrameException.Kind.CHECKSUM,
                assertThrows(FrameException.class, () -> Frames.open(zlibBody, List.of(GZIP), LIMIT))
                        .kind());
    }

    @Test
    void refusesABodyShorterThanTheChecksum() {
        FrameException e = assertThrows(FrameException.class, () -> Frames.open(new byte[31], List.of(ZLIB), LIMIT));

        assertEquals(FrameException.Kind.CHECKSUM, e.kind());
        assertTrue(e.getMessage().contains("shorter than the checksum"), e.getMessage());
    }

    @Test
    void acceptsAnEmptyPayloadBehindItsChecksum() throws FrameException {
        // The codec, not the frame layer, decides that an empty payload is not a packet list.
        assertEquals(0, Frames.open(Frames.block(new byte[0]), List.of(), LIMIT).payload().length);
    }

    @Test
    void refusesAnUncompressedBodyLargerThanTheLimit() {
        byte[] block = Frames.block(new byte[100]);

        FrameException e =
                assertThrows(FrameException.class, () -> Frames.open(block, List.of(ZLIB, GZIP), block.length - 1));

        assertEquals(FrameException.Kind.TOO_LARGE, e.kind());
    }

    @Test
    void acceptsABodyExactlyAtTheLimit() throws FrameException {
        byte[] block = Frames.block(new byte[100]);

        assertArrayEquals(
                new byte[100], Frames.open(block, List.of(), block.length).payload());
        assertArrayEquals(
                new byte[100],
                Frames.open(Frames.body(block, ZLIB), List.of(ZLIB), block.length)
                        .payload());
    }

    @Test
    void refusesAZipBombWithoutInflatingAllOfIt() throws IOException {
        int limit = 64 * 1024;
        byte[] bomb = zlibOfZeros(16 << 20);
        // Break the Adler-32 trailer: only an inflater that reads to the very end notices it.
        bomb[bomb.length - 1] ^= 1;
        assertTrue(bomb.length < 32 * 1024, "the bomb body is small: " + bomb.length);
        IOException atTheEnd = assertThrows(IOException.class, () -> ZLIB.decompress(bomb, 32 << 20));
        assertTrue(atTheEnd.getMessage().contains("incorrect data check"), atTheEnd.getMessage());

        FrameException e = assertThrows(FrameException.class, () -> Frames.open(bomb, List.of(ZLIB), limit));

        // The limit, not the broken trailer, stopped it: inflation ended early.
        assertTrue(e.getMessage().contains("exceeds the limit of " + limit), e.getMessage());
        assertEquals(FrameException.Kind.TOO_LARGE, e.kind());
    }

    private static byte[] zlibOfZeros(int size) {
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION);
        try {
            byte[] zeros = new byte[64 * 1024];
            byte[] out = new byte[size / 512];
            int written = 0;
            for (int fed = 0; fed < size; fed += zeros.length) {
                deflater.setInput(zeros);
                while (!deflater.needsInput()) {
                    written += deflate(deflater, out, written);
                }
            }
            deflater.finish();
            while (!deflater.finished()) {
                written += deflate(deflater, out, written);
            }
            return Arrays.copyOf(out, written);
        } finally {
            deflater.end();
        }
    }

    private static int deflate(Deflater deflater, byte[] out, int written) {
        if (written == out.length) {
            throw new IllegalStateException("zeros compress far better than 512:1; the output buffer is full");
        }
        return deflater.deflate(out, written, out.length - written);
    }

    private static JsonNode annotatedExample() {
        for (JsonNode message : GoldenVectors.standalone().required("messages")) {
            if (message.required("name").asText().startsWith("short annotated example")) {
                return message;
            }
        }
        throw new AssertionError("the vectors lost the annotated example of spec §3.1");
    }

    /** A method that "decompresses" anything to the same bytes, as a lenient inflater might. */
    private record FixedOutput(byte[] output) implements Compression {
        @Override
        public int flag() {
            return 0x7f;
        }

        @Override
        public String name() {
            return "fixed";
        }

        @Override
        public byte[] compress(byte[] data) {
            throw new UnsupportedOperationException("only used to open bodies");
        }

        @Override
        public byte[] decompress(byte[] data, int maxSize) {
            return output.clone();
        }
    }
}
