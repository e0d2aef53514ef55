package dev.jv2p.sync.internal.persist;

import dev.jv2p.sync.SyncException;

/**
 * A change refused because the node's log cannot be written (most often a full disk): the
 * change is not made. Local writes fail with it; a peer's write refused so is not applied,
 * so the digests still differ and anti-entropy fetches it again once the log can be written.
 */
public final class LogUnwritableException extends SyncException {
    private static final long serialVersionUID = 1L;

    LogUnwritableException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The same error for another change refused, with the stack of the caller that makes it. */
    public LogUnwritableException again() {
        return new LogUnwritableException(getMessage(), getCause());
    }
}
