package dev.jv2p.sync.internal;

import java.util.Optional;

/**
 * What {@link SyncStore#apply} did with one write: an {@link Outcome} and the key's state
 * before and after ({@code null} when the key had or has no state).
 */
public record ApplyResult(Outcome outcome, Entry before, Entry after) {
    /** The fate of one write. The first four are kept in the key's history; the last three are not. */
    public enum Outcome {
        /** Passed the lease rule at its place in merge order and changed the key's state. */
        ACCEPTED,
        /**
         * Passed the lease rule at its place, but writes later in merge order already decide
         * the state: it arrived late, after a newer write that overrides it.
         */
        SUPERSEDED,
        /** Refused by the lease rule at its place in merge order; kept, since a later arrival may change that. */
        REFUSED_LEASE,
        /** A delta that passed the lease rule onto a value that is not a map: no effect, as in js2p. */
        IGNORED,
        /** This very write (same stamp, kind and value) is already held. */
        DUPLICATE,
        /** Stamped before the key's horizon: too old to be placed in its history (see {@link SyncStore}). */
        STALE,
        /** Stamped further ahead of this node's clock than the configured skew allows. */
        FUTURE
    }

    /** The {@code update} or {@code delete} event this write causes, if any. */
    public Optional<Change> change() {
        return Change.between(before, after);
    }
}
