package dev.jv2p.codec.msgpack;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.jv2p.mesh.spi.CodecException;
import dev.jv2p.mesh.testing.CodecFuzzChecks;
import org.msgpack.core.MessagePackException;

/**
 * {@link MsgpackCodec#decode} on any bytes, checked by
 * {@link CodecFuzzChecks#decodesWithinTheLimitsOrRefuses}. The msgpack library
 * reports bad input with a {@link MessagePackException}, which is expected.
 */
class MsgpackDecodeFuzzTest {
    private static final MsgpackCodec CODEC = new MsgpackCodec();

    @FuzzTest
    void decodesWithinTheLimitsOrRefuses(FuzzedDataProvider data) throws CodecException {
        CodecFuzzChecks.decodesWithinTheLimitsOrRefuses(
                CODEC, data, Integer.MAX_VALUE, e -> e instanceof MessagePackException);
    }
}
