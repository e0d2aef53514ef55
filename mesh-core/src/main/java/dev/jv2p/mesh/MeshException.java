package dev.jv2p.mesh;

/** Root of jv2p's unchecked exceptions about the mesh. */
public class MeshException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public MeshException(String message) {
        super(message);
    }

    public MeshException(String message, Throwable cause) {
        super(message, cause);
    }
}
