package dev.jv2p.mesh;

/** A connection failed before or during the handshake (refused, foreign protocol, timeout). */
public class HandshakeException extends MeshException {
    private static final long serialVersionUID = 1L;

    /** An exception with {@code message}. */
    public HandshakeException(String message) {
        super(message);
    }

    /** An exception with {@code message}, caused by {@code cause}. */
    public HandshakeException(String message, Throwable cause) {
        super(message, cause);
    }
}
