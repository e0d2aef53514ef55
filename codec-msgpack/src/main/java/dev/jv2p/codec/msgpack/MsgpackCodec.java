package dev.jv2p.codec.msgpack;

import dev.jv2p.mesh.spi.Codec;
import dev.jv2p.mesh.spi.CodecException;
import dev.jv2p.mesh.spi.DecodeLimits;
import java.util.List;
import java.util.Objects;

/**
 * The p2p.today 0.7 body codec: msgpack, as js2p 0.7.870 reads and writes it (spec §6).
 *
 * <p><b>Encoding</b> (spec §6.4) first normalizes the packet list with
 * {@link dev.jv2p.mesh.spi.Values#normalize}, then writes every integer in its smallest msgpack
 * encoding (uint64 for {@link java.math.BigInteger} values from 2^63), {@link Double} as
 * float64, {@link String} as str (UTF-8; an unpaired surrogate becomes {@code ?}),
 * {@code byte[]} as bin, lists as arrays, maps as maps in their iteration order, booleans
 * and {@code null} as nil. The bytes equal msgpack-lite's wherever both choose the same
 * format; they differ for a 255-byte bin (msgpack-lite writes bin16, jv2p bin8) and for
 * integers outside the signed 32-bit range (msgpack-lite writes float64, jv2p an integer).
 * js2p reads both, and checksums cover whatever bytes are sent, so neither matters on the
 * wire (spec §15.19).
 *
 * <p><b>Decoding</b> accepts exactly one msgpack array and nothing after it. Every integer
 * width becomes {@link Long} ({@link java.math.BigInteger} above {@link Long#MAX_VALUE}),
 * float32 and float64 become {@link Double}, str becomes {@link String} with malformed UTF-8
 * replaced by U+FFFD exactly as js2p does, bin becomes {@code byte[]}, nil {@code null},
 * arrays mutable lists and maps mutable insertion-ordered maps in wire order; the caller
 * owns them. A bin map key becomes the string it encodes, as js2p and {@code Values} do.
 * Ext types, the reserved byte {@code 0xc1}, truncated input, trailing bytes and anything
 * over the {@link DecodeLimits} fail with a {@link CodecException}; no announced size is
 * allocated before it has been checked against the limits and the bytes that remain. No
 * other exception leaves {@link #decode} for any input.
 *
 * <p>Stateless and thread-safe. Found by {@link java.util.ServiceLoader} under the name
 * {@value #NAME}.
 */
public final class MsgpackCodec implements Codec {

    /** The codec name; also the one codec whose protocol ids equal js2p's. */
    public static final String NAME = "msgpack";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public byte[] encode(List<?> packets) {
        Objects.requireNonNull(packets, "packets");
        return PacketListWriter.write(packets);
    }

    @Override
    public List<Object> decode(byte[] body, DecodeLimits limits) throws CodecException {
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(limits, "limits");
        return new PacketListReader(body, limits).read();
    }

    @Override
    public String toString() {
        return "MsgpackCodec";
    }
}
