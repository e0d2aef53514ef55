package dev.jv2p.it.plugins;

import dev.jv2p.codec.msgpack.MsgpackCodec;
import dev.jv2p.mesh.spi.Codec;
import dev.jv2p.mesh.spi.CodecException;
import dev.jv2p.mesh.spi.DecodeLimits;
import java.util.List;

/**
 * A test-only codec, registered only through this module's test
 * {@code META-INF/services/dev.jv2p.mesh.spi.Codec}: msgpack with the body bytes reversed, so
 * that no msgpack node could read it. It shows that a third party adds a codec with no change
 * to jv2p.
 */
public final class ReversingCodec implements Codec {
    public static final String NAME = "reversed-msgpack-test";
    private final MsgpackCodec msgpack = new MsgpackCodec();

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public byte[] encode(List<?> packets) {
        return reverse(msgpack.encode(packets));
    }

    @Override
    public List<Object> decode(byte[] body, DecodeLimits limits) throws CodecException {
        return msgpack.decode(reverse(body), limits);
    }

    private static byte[] reverse(byte[] in) {
        byte[] out = new byte[in.length];
        for (int i = 0; i < in.length; i++) {
            out[i] = in[in.length - 1 - i];
        }
        return out;
    }
}
