package dev.jv2p.codec.protobuf;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.jv2p.mesh.spi.CodecException;
import dev.jv2p.mesh.testing.CodecFuzzChecks;

/**
 * {@link ProtobufCodec#decode} on any bytes, checked by
 * {@link CodecFuzzChecks#decodesWithinTheLimitsOrRefuses}. The codec also
 * bounds nesting by itself ({@link ProtobufCodec#MAX_DEPTH}).
 */
class ProtobufDecodeFuzzTest {
    private static final ProtobufCodec CODEC = new ProtobufCodec();

    @FuzzTest
    void decodesWithinTheLimitsOrRefuses(FuzzedDataProvider data) throws CodecException {
        CodecFuzzChecks.decodesWithinTheLimitsOrRefuses(CODEC, data, ProtobufCodec.MAX_DEPTH, e -> false);
    }
}
