package dev.jv2p.codec.msgpack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.jv2p.mesh.spi.CodecException;
import dev.jv2p.mesh.spi.DecodeLimits;
import dev.jv2p.mesh.testing.FuzzValues;
import java.util.List;
import org.msgpack.core.MessagePackException;

/**
 * {@link MsgpackCodec#decode} on any bytes: a packet list within the limits, or a
 * {@link CodecException} for a reason the decoder knows. The decoder turns an unexpected
 * {@link RuntimeException} into a {@code CodecException} too, to protect the node; here that
 * exception is rethrown, since it means a bug. A list that decodes encodes to bytes that
 * decode and encode to the same bytes again.
 */
class MsgpackDecodeFuzzTest {
    private static final MsgpackCodec CODEC = new MsgpackCodec();
    private static final DecodeLimits[] LIMITS = {DecodeLimits.DEFAULT, new DecodeLimits(1, 1),
        new DecodeLimits(2, 10), new DecodeLimits(4, 100), new DecodeLimits(32, 16), new DecodeLimits(8, 1000),
        new DecodeLimits(Integer.MAX_VALUE, Integer.MAX_VALUE)};
    /** Deeper lists decode under generous limits but no codec encodes them ({@code Values.normalize}). */
    private static final int ENCODABLE_DEPTH = 64;

    @FuzzTest
    void decodesWithinTheLimitsOrRefuses(FuzzedDataProvider data) throws CodecException {
        DecodeLimits limits = data.pickValue(LIMITS);
        byte[] body = data.consumeRemainingAsBytes();
        List<Object> packets;
        try {
            packets = CODEC.decode(body, limits);
        } catch (CodecException e) {
            if (e.getCause() instanceof RuntimeException bug && !(bug instanceof MessagePackException)) {
                throw bug;
            }
            return;
        }
        assertTrue(FuzzValues.depth(packets) <= limits.maxDepth(), "nested past the limit");
        assertTrue(FuzzValues.count(packets) <= limits.maxElements(), "more values than the limit");
        if (FuzzValues.depth(packets) > ENCODABLE_DEPTH) {
            return;
        }

        byte[] encoded = CODEC.encode(packets);
        assertArrayEquals(encoded, CODEC.encode(CODEC.decode(encoded, limits)));
    }
}
