package dev.jv2p.sync;

/**
 * Root of the unchecked exceptions the synchronized dictionary throws to its callers.
 *
 * <p>Faults caused by peers are never reported through this family to the caller of an
 * unrelated method; these exceptions describe why the caller's own request cannot be done.
 */
public class SyncException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** An exception with {@code message}. */
    public SyncException(String message) {
        super(message);
    }

    /** An exception with {@code message}, caused by {@code cause}. */
    public SyncException(String message, Throwable cause) {
        super(message, cause);
    }
}
