package dev.jv2p.sync.internal;

import dev.jv2p.sync.Key;
import dev.jv2p.sync.MetaTuple;
import java.util.Optional;

/**
 * A change of a key as users see it: the p2p.today {@code update} and {@code delete} events.
 * Changes of a tombstone's metadata alone are not visible and produce no change.
 */
public sealed interface Change {
    /** The key that changed. */
    Key key();

    /** The key now holds {@code value} (the whole merged map after a delta), written as {@code meta} says. */
    record Update(Key key, Object value, MetaTuple meta) implements Change {}

    /** The key, which held a value, is now deleted. */
    record Delete(Key key) implements Change {}

    /** The visible change from {@code before} to {@code after}; either may be {@code null} (no state). */
    static Optional<Change> between(Entry before, Entry after) {
        boolean wasLive = before != null && !before.isTombstone();
        if (after != null && !after.isTombstone()) {
            return after.equals(before)
                    ? Optional.empty()
                    : Optional.of(new Update(after.key(), after.value(), after.meta()));
        }
        return wasLive ? Optional.of(new Delete(before.key())) : Optional.empty();
    }
}
