package dev.jv2p.mesh.spi;

import java.util.List;

/**
 * Turns a packet list into the body bytes of a frame and back.
 *
 * <p>A packet list is a {@code List<Object>} whose elements use the jv2p value model:
 * {@code null}, {@link Boolean}, {@link Long} (every integer; {@link java.math.BigInteger}
 * only above {@link Long#MAX_VALUE}), {@link Double}, {@link String}, {@code byte[]},
 * {@code List<Object>} and {@code Map<Object, Object>} (insertion ordered). Encoders also
 * accept the other boxed integer types and {@link Float}.
 *
 * <p>The codec is part of a mesh's protocol identity: nodes using different codecs never
 * connect. Implementations are found with {@link java.util.ServiceLoader} by {@link #name()}.
 * They must be stateless and thread-safe: the node calls them from its event loop and
 * from callers' threads.
 */
public interface Codec {

    /** The name used to select this codec in configuration, such as {@code msgpack}. */
    String name();

    /**
     * Encodes a packet list.
     *
     * @throws IllegalArgumentException if an element is not a value this codec can carry;
     *     the message names the offending element
     */
    byte[] encode(List<?> packets);

    /**
     * Decodes one packet list from a whole body.
     *
     * @throws CodecException if the bytes are not exactly one well-formed packet list within
     *     {@code limits}
     */
    List<Object> decode(byte[] body, DecodeLimits limits) throws CodecException;
}
