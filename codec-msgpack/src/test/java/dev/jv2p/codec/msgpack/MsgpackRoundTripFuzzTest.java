package dev.jv2p.codec.msgpack;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.jv2p.mesh.spi.CodecException;
import dev.jv2p.mesh.testing.CodecFuzzChecks;

/** {@link CodecFuzzChecks#decodeUndoesEncode} for the msgpack codec. */
class MsgpackRoundTripFuzzTest {
    private static final MsgpackCodec CODEC = new MsgpackCodec();

    @FuzzTest
    void decodeUndoesEncode(FuzzedDataProvider data) throws CodecException {
        CodecFuzzChecks.decodeUndoesEncode(CODEC, data);
    }
}
