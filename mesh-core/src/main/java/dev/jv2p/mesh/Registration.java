package dev.jv2p.mesh;

/** Returned by listener and handler registration; {@link #close()} removes it. Idempotent. */
@FunctionalInterface
public interface Registration extends AutoCloseable {
    @Override
    void close();
}
