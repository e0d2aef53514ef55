package dev.jv2p.transport.tls;

import java.nio.file.Path;

/**
 * A node key file that cannot be read, parsed or written. The node does not start: a node
 * that cannot prove its identity must not run under another one.
 */
public final class KeyFileException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    KeyFileException(Path file, String problem, Throwable cause) {
        super("node key file " + file + ": " + problem, cause);
    }
}
