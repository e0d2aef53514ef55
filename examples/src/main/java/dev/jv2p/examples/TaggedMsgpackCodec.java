package dev.jv2p.examples;

import dev.jv2p.codec.msgpack.MsgpackCodec;
import dev.jv2p.mesh.spi.Codec;
import dev.jv2p.mesh.spi.CodecException;
import dev.jv2p.mesh.spi.DecodeLimits;
import java.util.Arrays;
import java.util.List;

/**
 * A custom codec: msgpack bodies behind a two-byte tag, so a body from anything else is
 * refused before it is parsed. It is registered in this module's
 * {@code META-INF/services/dev.jv2p.mesh.spi.Codec} file and nowhere else: a node selects it by
 * name, {@code new Protocol(subnet, "Plaintext", "tagged-msgpack")}. Stateless and thread-safe,
 * as every {@link Codec} must be.
 */
public final class TaggedMsgpackCodec implements Codec {
    /** The name a {@code Protocol} selects this codec by. */
    public static final String NAME = "tagged-msgpack";

    private static final byte[] TAG = {'j', '1'};
    private final MsgpackCodec msgpack = new MsgpackCodec();

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public byte[] encode(List<?> packets) {
        byte[] body = msgpack.encode(packets);
        byte[] out = Arrays.copyOf(TAG, TAG.length + body.length);
        System.arraycopy(body, 0, out, TAG.length, body.length);
        return out;
    }

    @Override
    public List<Object> decode(byte[] body, DecodeLimits limits) throws CodecException {
        if (body.length < TAG.length || body[0] != TAG[0] || body[1] != TAG[1]) {
            throw new CodecException("not a " + NAME + " body: it does not start with the tag");
        }
        return msgpack.decode(Arrays.copyOfRange(body, TAG.length, body.length), limits);
    }
}
