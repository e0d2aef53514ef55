package dev.jv2p.mesh.internal.wire;

import dev.jv2p.mesh.internal.Hashes;
import dev.jv2p.mesh.spi.Compression;
import java.io.IOException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;

/**
 * The frame body of p2p.today: {@code [compress](SHA-256(payload) ‖ payload)}, where the
 * payload is the codec's bytes (spec §3–§5). The 4-byte length prefix is added and removed
 * by the Netty handlers; this class works on whole bodies.
 */
public final class Frames {
    /** Size of the SHA-256 checksum in front of every payload. */
    public static final int CHECKSUM_LENGTH = 32;
    /** Size of the big-endian length prefix. */
    public static final int PREFIX_LENGTH = 4;

    private Frames() {}

    /** A verified, decompressed block: the checksum (= message id) and the codec bytes. */
    public record Block(byte[] checksum, byte[] payload, Compression usedCompression) {}

    /** Builds {@code SHA-256(payload) ‖ payload}. */
    public static byte[] block(byte[] payload) {
        byte[] digest = Hashes.sha256(payload);
        byte[] out = Arrays.copyOf(digest, CHECKSUM_LENGTH + payload.length);
        System.arraycopy(payload, 0, out, CHECKSUM_LENGTH, payload.length);
        return out;
    }

    /** The frame body for a block, compressed with {@code method} unless it is null. */
    public static byte[] body(byte[] block, Compression method) {
        return method == null ? block : method.compress(block);
    }

    /** A whole frame, prefix included: convenient for tests and raw clients. */
    public static byte[] frame(byte[] body) {
        byte[] out = new byte[PREFIX_LENGTH + body.length];
        out[0] = (byte) (body.length >>> 24);
        out[1] = (byte) (body.length >>> 16);
        out[2] = (byte) (body.length >>> 8);
        out[3] = (byte) body.length;
        System.arraycopy(body, 0, out, PREFIX_LENGTH, body.length);
        return out;
    }

    /**
     * Opens a received body by the receive rule of spec §5.3, made stricter: each method the
     * sender announced (that this node supports) is tried in the sender's order, and a
     * result counts only if its checksum verifies; then the raw body is tried. So a body
     * that happens to inflate is never mistaken for the real content.
     *
     * @param senderMethods the methods to try, in the sender's preference order
     * @param maxDecompressed the largest decompressed block accepted
     * @throws FrameException if no attempt yields a block whose checksum verifies
     */
    public static Block open(byte[] body, List<Compression> senderMethods, int maxDecompressed) throws FrameException {
        String lastProblem = null;
        boolean overLimit = false;
        for (Compression method : senderMethods) {
            byte[] inflated;
            try {
                inflated = method.decompress(body, maxDecompressed);
            } catch (SizeLimitException e) {
                overLimit = true;
                lastProblem = method.name() + ": " + e.getMessage();
                continue;
            } catch (IOException e) {
                lastProblem = method.name() + ": " + e.getMessage();
                continue;
            }
            Block block = verify(inflated, method);
            if (block != null) {
                return block;
            }
            lastProblem = method.name() + ": checksum mismatch";
        }
        if (body.length > maxDecompressed) {
            throw new FrameException(
                    FrameException.Kind.TOO_LARGE,
                    "frame body of " + body.length + " bytes exceeds the limit of " + maxDecompressed);
        }
        Block raw = verify(body, null);
        if (raw != null) {
            return raw;
        }
        String detail = lastProblem == null ? "" : " (last decompression attempt: " + lastProblem + ")";
        if (overLimit) {
            throw new FrameException(
                    FrameException.Kind.TOO_LARGE,
                    "body would inflate past the limit of " + maxDecompressed + " bytes" + detail);
        }
        if (body.length < CHECKSUM_LENGTH) {
            throw new FrameException(
                    FrameException.Kind.CHECKSUM,
                    "frame body of " + body.length + " bytes is shorter than the checksum" + detail);
        }
        throw new FrameException(FrameException.Kind.CHECKSUM, "checksum mismatch" + detail);
    }

    private static Block verify(byte[] block, Compression method) {
        if (block.length < CHECKSUM_LENGTH) {
            return null;
        }
        byte[] payload = Arrays.copyOfRange(block, CHECKSUM_LENGTH, block.length);
        byte[] expected = Arrays.copyOfRange(block, 0, CHECKSUM_LENGTH);
        if (!MessageDigest.isEqual(expected, Hashes.sha256(payload))) {
            return null;
        }
        return new Block(expected, payload, method);
    }
}
