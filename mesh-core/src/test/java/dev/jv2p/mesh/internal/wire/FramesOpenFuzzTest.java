package dev.jv2p.mesh.internal.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.jv2p.mesh.internal.Hashes;
import dev.jv2p.mesh.spi.Compression;
import java.util.List;

/**
 * {@link Frames#open} on bodies a peer chose: it returns a block whose checksum verifies or
 * throws {@link FrameException}, nothing else, for every list of announced methods.
 *
 * <p>Half the inputs are arbitrary bodies; the other half are real blocks of a fuzzed payload,
 * compressed or not and then perhaps damaged, so that the fuzzer also reaches the inflating
 * and verifying paths behind a correct checksum. Saved inputs replay in every {@code mvn test};
 * {@code -Pfuzz} fuzzes (see CONTRIBUTING.md).
 */
class FramesOpenFuzzTest {
    private static final Compression ZLIB = new ZlibCompression();
    private static final Compression GZIP = new GzipCompression();
    private static final List<List<Compression>> ANNOUNCED =
            List.of(List.of(), List.of(ZLIB), List.of(GZIP), List.of(ZLIB, GZIP), List.of(GZIP, ZLIB));
    private static final Compression[] SENT_WITH = {null, ZLIB, GZIP};

    @FuzzTest
    void opensOnlyBlocksWhoseChecksumVerifies(FuzzedDataProvider data) {
        List<Compression> announced = data.pickValue(ANNOUNCED);
        int limit = data.consumeInt(0, 1 << 16);
        if (data.consumeBoolean()) {
            openArbitraryBody(data.consumeRemainingAsBytes(), announced, limit);
        } else {
            openRealBlock(data, announced, limit);
        }
    }

    private static void openArbitraryBody(byte[] body, List<Compression> announced, int limit) {
        Frames.Block block;
        try {
            block = Frames.open(body, announced, limit);
        } catch (FrameException e) {
            return;
        }
        assertVerifies(block, limit);
        assertTrue(block.usedCompression() == null || announced.contains(block.usedCompression()));
    }

    private static void openRealBlock(FuzzedDataProvider data, List<Compression> announced, int limit) {
        Compression sentWith = data.pickValue(SENT_WITH);
        int damageAt = data.consumeInt(-1, 1 << 16);
        byte damage = data.consumeByte();
        byte[] payload = data.consumeRemainingAsBytes();
        byte[] body = Frames.body(Frames.block(payload), sentWith);
        boolean damaged = damageAt >= 0 && damageAt < body.length && damage != 0;
        if (damaged) {
            body[damageAt] ^= damage;
        }
        Frames.Block block;
        try {
            block = Frames.open(body, announced, limit);
        } catch (FrameException e) {
            boolean readable = sentWith == null || announced.contains(sentWith);
            boolean fits = Frames.CHECKSUM_LENGTH + payload.length <= limit;
            if (!damaged && readable && fits) {
                fail("an intact block sent with " + name(sentWith) + " and announced " + announced + " was refused: "
                        + e.getMessage());
            }
            if (!damaged && readable && e.kind() != FrameException.Kind.TOO_LARGE) {
                fail("an intact block over the limit was refused as " + e.kind() + ": " + e.getMessage());
            }
            return;
        }
        assertVerifies(block, limit);
        // A damaged body may still open (gzip ignores some header bytes), but only to the
        // payload that was sent: anything else would be a SHA-256 collision.
        assertArrayEquals(payload, block.payload());
    }

    private static void assertVerifies(Frames.Block block, int limit) {
        assertArrayEquals(Hashes.sha256(block.payload()), block.checksum());
        assertEquals(Frames.CHECKSUM_LENGTH, block.checksum().length);
        assertTrue(
                Frames.CHECKSUM_LENGTH + block.payload().length <= limit,
                "a block of " + block.payload().length + " payload bytes passed the limit of " + limit);
    }

    private static String name(Compression c) {
        return c == null ? "no compression" : c.name();
    }
}
