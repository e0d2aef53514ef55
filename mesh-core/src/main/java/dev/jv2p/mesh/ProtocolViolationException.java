package dev.jv2p.mesh;

/** A peer sent something the protocol does not allow; that peer is disconnected. */
public class ProtocolViolationException extends MeshException {
    private static final long serialVersionUID = 1L;

    /** An exception naming what the peer sent. */
    public ProtocolViolationException(String message) {
        super(message);
    }
}
