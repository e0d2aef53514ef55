package dev.jv2p.codec.msgpack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.jv2p.mesh.Values;
import dev.jv2p.mesh.spi.CodecException;
import dev.jv2p.mesh.spi.DecodeLimits;
import dev.jv2p.mesh.testing.FuzzValues;
import java.util.List;

/**
 * {@code decode(encode(v))} deep-equals {@code v} (normalized, strings through UTF-8) for
 * packet lists built from fuzz data, and encoding the result again gives the same bytes.
 */
class MsgpackRoundTripFuzzTest {
    private static final MsgpackCodec CODEC = new MsgpackCodec();

    @FuzzTest
    void decodeUndoesEncode(FuzzedDataProvider data) throws CodecException {
        List<Object> packets = FuzzValues.packetList(data);
        byte[] encoded = CODEC.encode(packets);
        List<Object> decoded = CODEC.decode(encoded, DecodeLimits.DEFAULT);

        List<Object> expected = FuzzValues.expectedAfterRoundTrip(packets);
        assertTrue(Values.deepEquals(expected, decoded),
                () -> "expected " + Values.toString(expected) + ", decoded " + Values.toString(decoded));
        assertArrayEquals(encoded, CODEC.encode(decoded));
    }
}
