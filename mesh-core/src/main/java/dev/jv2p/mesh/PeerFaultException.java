package dev.jv2p.mesh;

import io.netty.handler.codec.DecoderException;

/**
 * Raised by an inbound stage when a peer's input ends its connection; the last handler of the
 * pipeline closes the connection with this message as the reason.
 */
final class PeerFaultException extends DecoderException {
    private static final long serialVersionUID = 1L;

    private final boolean hostile;

    /** @param hostile whether the input looks like an attack (logged at WARN) rather than a mismatch */
    PeerFaultException(String reason, boolean hostile) {
        super(reason);
        this.hostile = hostile;
    }

    boolean hostile() {
        return hostile;
    }
}
