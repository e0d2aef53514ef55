package dev.jv2p.mesh.spi;

import java.io.IOException;

/**
 * A frame compression method, negotiated per connection by its p2p.today flag number.
 *
 * <p>Implementations are stateless and thread-safe.
 */
public interface Compression {

    /** The p2p.today method id announced in handshakes, e.g. {@code 0x13} for zlib. */
    int flag();

    /** A short name for configuration and logs, e.g. {@code zlib}. */
    String name();

    /** Compresses a whole frame body. */
    byte[] compress(byte[] data);

    /**
     * Decompresses a whole body.
     *
     * @param maxSize the largest result accepted; a stream that would inflate beyond it
     *     fails (zip bombs) without allocating more than about {@code maxSize} bytes
     * @throws IOException if {@code data} is not a valid stream of this method or too large
     */
    byte[] decompress(byte[] data, int maxSize) throws IOException;
}
