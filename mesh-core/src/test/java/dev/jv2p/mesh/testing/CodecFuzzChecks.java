package dev.jv2p.mesh.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import dev.jv2p.mesh.spi.Codec;
import dev.jv2p.mesh.spi.CodecException;
import dev.jv2p.mesh.spi.DecodeLimits;
import dev.jv2p.mesh.spi.Values;
import java.util.List;
import java.util.function.Predicate;

/** The properties every codec's fuzz tests check, whatever the codec. */
public final class CodecFuzzChecks {
    private static final DecodeLimits[] LIMITS = {
        DecodeLimits.DEFAULT,
        new DecodeLimits(1, 1),
        new DecodeLimits(2, 10),
        new DecodeLimits(4, 100),
        new DecodeLimits(32, 16),
        new DecodeLimits(8, 1000),
        new DecodeLimits(Integer.MAX_VALUE, Integer.MAX_VALUE)
    };
    /** Deeper lists decode under generous limits but no codec encodes them ({@code Values.normalize}). */
    private static final int ENCODABLE_DEPTH = 64;

    private CodecFuzzChecks() {}

    /**
     * {@code codec.decode} on any bytes: a packet list within the limits (and within
     * {@code ownMaxDepth}, a bound of the codec itself), or a {@link CodecException} for a
     * reason the decoder knows. A codec turns an unexpected {@link RuntimeException} into a
     * {@code CodecException} too, to protect the node; here that exception is rethrown, since it
     * means a bug, unless {@code expectedFailure} says the codec's library raises it for bad
     * input. A list that decodes encodes to bytes that decode and encode to the same bytes again.
     */
    public static void decodesWithinTheLimitsOrRefuses(
            Codec codec, FuzzedDataProvider data, int ownMaxDepth, Predicate<RuntimeException> expectedFailure)
            throws CodecException {
        DecodeLimits limits = data.pickValue(LIMITS);
        byte[] body = data.consumeRemainingAsBytes();
        List<Object> packets;
        try {
            packets = codec.decode(body, limits);
        } catch (CodecException e) {
            if (e.getCause() instanceof RuntimeException bug && !expectedFailure.test(bug)) {
                throw bug;
            }
            return;
        }
        assertTrue(FuzzValues.depth(packets) <= Math.min(limits.maxDepth(), ownMaxDepth), "nested past the limit");
        assertTrue(FuzzValues.count(packets) <= limits.maxElements(), "more values than the limit");
        if (FuzzValues.depth(packets) > ENCODABLE_DEPTH) {
            return;
        }
        byte[] encoded = codec.encode(packets);
        assertArrayEquals(encoded, codec.encode(codec.decode(encoded, limits)));
    }

    /**
     * {@code decode(encode(v))} deep-equals {@code v} (normalized, strings through UTF-8) for
     * packet lists built from fuzz data, and encoding the result again gives the same bytes.
     */
    public static void decodeUndoesEncode(Codec codec, FuzzedDataProvider data) throws CodecException {
        List<Object> packets = FuzzValues.packetList(data);
        byte[] encoded = codec.encode(packets);
        List<Object> decoded = codec.decode(encoded, DecodeLimits.DEFAULT);
        List<Object> expected = FuzzValues.expectedAfterRoundTrip(packets);
        assertTrue(
                Values.deepEquals(expected, decoded),
                () -> "expected " + Values.toString(expected) + ", decoded " + Values.toString(decoded));
        assertArrayEquals(encoded, codec.encode(decoded));
    }
}
