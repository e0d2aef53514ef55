package dev.jv2p.it.cluster;

/** A command sent to a node through {@code jv2pctl} got no answer (the node is down or stuck). */
final class NodeCommandException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    NodeCommandException(String message) {
        super(message);
    }

    NodeCommandException(String message, Throwable cause) {
        super(message, cause);
    }
}
