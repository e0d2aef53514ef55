package dev.jv2p.codec.protobuf;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.jv2p.mesh.spi.CodecException;
import dev.jv2p.mesh.testing.CodecFuzzChecks;

/** {@link CodecFuzzChecks#decodeUndoesEncode} for the protobuf codec. */
class ProtobufRoundTripFuzzTest {
    private static final ProtobufCodec CODEC = new ProtobufCodec();

    @FuzzTest
    void decodeUndoesEncode(FuzzedDataProvider data) throws CodecException {
        CodecFuzzChecks.decodeUndoesEncode(CODEC, data);
    }
}
