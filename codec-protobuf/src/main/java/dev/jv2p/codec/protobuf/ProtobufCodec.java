package dev.jv2p.codec.protobuf;

import dev.jv2p.mesh.spi.Codec;
import dev.jv2p.mesh.spi.CodecException;
import dev.jv2p.mesh.spi.DecodeLimits;
import java.util.List;
import java.util.Objects;

/**
 * A body codec in protobuf ({@code packets.proto}), for meshes of jv2p nodes only: its name
 * goes into the protocol id, so such meshes never connect to js2p or to msgpack meshes.
 *
 * <p><b>Encoding</b> gives the result of {@link dev.jv2p.mesh.spi.Values#normalizeList} as one
 * {@code PacketList} message: every integer up to {@link Long#MAX_VALUE} as a zig-zag
 * {@code sint64}, a {@link java.math.BigInteger} from 2^63 as a {@code fixed64}, {@link Double}
 * as {@code double}, {@link String} as {@code string} (an unpaired surrogate becomes
 * {@code ?}), {@code byte[]} as {@code bytes}, {@code null} as the {@code Nil} enum, lists as
 * repeated values and maps as repeated key/value entries in iteration order, so keys may be
 * any value and keep their order. An empty packet list is an empty body.
 *
 * <p><b>Decoding</b> accepts exactly that shape: every value sets one kind, every map entry
 * one key and one value, and unknown fields, invalid UTF-8 and anything over the
 * {@link DecodeLimits} fail with a {@link CodecException}, checked in one pass over the
 * bytes before any message is built. Whatever the limits allow, at most {@value #MAX_DEPTH}
 * levels are read: the deepest packet list that {@code Values.normalize} accepts, and so
 * any codec writes. Values come back as in the value model: {@link Long}
 * ({@link java.math.BigInteger} above {@link Long#MAX_VALUE}), {@link Double}, {@link String},
 * {@code byte[]}, {@code null}, mutable lists and mutable insertion-ordered maps, which the
 * caller owns; a {@code bytes} map key becomes the string it encodes, and a repeated key
 * keeps its first position and its last value. As with any protobuf message, the body is not
 * self-delimiting: two bodies one after the other read as one list with the packets of both,
 * and a body cut between two packets reads as the packets before the cut; frames have their
 * own length and checksum. No exception but {@link CodecException} leaves {@link #decode}.
 *
 * <p>Stateless and thread-safe. Found by {@link java.util.ServiceLoader} under the name
 * {@value #NAME}.
 */
public final class ProtobufCodec implements Codec {

    /** The codec name, hashed into the protocol id of meshes that use it. */
    public static final String NAME = "protobuf";

    /**
     * The deepest nesting read whatever the limits say: the packet list plus 64 levels, as
     * deep as {@code Values.normalize} lets a packet list be. It bounds the recursion of
     * protobuf-java's parser.
     */
    public static final int MAX_DEPTH = 65;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public byte[] encode(List<?> packets) {
        Objects.requireNonNull(packets, "packets");
        return PacketListWriter.write(packets).toByteArray();
    }

    @Override
    public List<Object> decode(byte[] body, DecodeLimits limits) throws CodecException {
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(limits, "limits");
        try {
            return PacketListReader.read(body, limits);
        } catch (RuntimeException e) {
            // Not reachable by design; if it happens, the peer still only sent bad bytes, and
            // the node must not crash because of them.
            throw new CodecException("internal protobuf decoder error (a jv2p bug): " + e, e);
        }
    }

    @Override
    public String toString() {
        return "ProtobufCodec";
    }
}
