package dev.jv2p.mesh;

/** Root of jv2p's unchecked exceptions about the mesh. */
public class MeshException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** An exception with this message. */
    public MeshException(String message) {
        super(message);
    }

    /** An exception with this message, caused by {@code cause}. */
    public MeshException(String message, Throwable cause) {
        super(message, cause);
    }
}
