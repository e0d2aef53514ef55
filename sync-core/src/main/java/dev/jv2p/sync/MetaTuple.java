package dev.jv2p.sync;

import java.util.Objects;

/**
 * The metadata p2p.today keeps beside every key: who wrote the current value and when.
 *
 * <p>{@code owner} is the writer's node id (p2p.today compares owners as plain strings, which
 * is {@link String#compareTo}); {@code timestamp} is whole seconds since the Unix epoch, the
 * unit of the p2p.today wire. Immutable and safe to share between threads.
 */
public record MetaTuple(String owner, long timestamp) {
    /** Checks that the owner is given. */
    public MetaTuple {
        Objects.requireNonNull(owner, "owner");
    }
}
