package dev.jv2p.mesh;

import io.netty.handler.codec.LengthFieldBasedFrameDecoder;

/**
 * Splits the stream at the 4-byte big-endian length prefix. The announced length is checked
 * against the limit before anything is allocated, and the decoder fails as soon as an
 * oversized prefix is seen.
 */
final class FrameDecoder extends LengthFieldBasedFrameDecoder {
    FrameDecoder(int maxBodyLength) {
        super(maxBodyLength + 4, 0, 4, 0, 4, true);
    }

    /** Whether part of a frame is buffered, waiting for the rest. */
    boolean hasPartialFrame() {
        return actualReadableBytes() > 0;
    }
}
