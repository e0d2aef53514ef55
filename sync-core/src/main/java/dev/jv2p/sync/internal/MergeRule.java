package dev.jv2p.sync.internal;

import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The p2p.today lease rule (spec §12.6) as one step of a fold: given the state of a key and
 * the next write in merge order, the state after it. Pure; {@link SyncStore} documents how the
 * steps are sequenced.
 */
final class MergeRule {
    /** What one step did with its write. */
    enum Verdict {
        /** The lease rule let the write through and it set the state. */
        TAKEN,
        /** The lease rule refused the write; the state is unchanged. */
        REFUSED,
        /** A delta the lease rule let through onto a value that is not a map: no effect at all. */
        NO_EFFECT
    }

    record Step(Entry state, Verdict verdict) {}

    /**
     * The merge order of writes: by stamp; writes sharing a stamp (a js2p owner writing twice in
     * one second, which its wire cannot tell apart) by kind, then by canonical value, so that
     * every node replays them identically.
     */
    static final Comparator<Write> WRITE_ORDER = Comparator.comparing(Write::stamp)
            .thenComparing(Write::kind)
            .thenComparing((a, b) -> Canonical.compare(a.value(), b.value()));

    private final boolean leasing;
    private final long leaseSeconds;

    MergeRule(boolean leasing, long leaseSeconds) {
        this.leasing = leasing;
        this.leaseSeconds = leaseSeconds;
    }

    boolean leasing() {
        return leasing;
    }

    long leaseSeconds() {
        return leaseSeconds;
    }

    /**
     * Spec §12.6 rules 1 to 6, with "now" in rule 4 replaced by the incoming write's own
     * timestamp. With {@code leasing} rules 3 and 6 are off.
     *
     * @param current the state before the write; {@code null} when the key has no metadata
     */
    boolean allows(Entry current, Write.Kind kind, String owner, long timestamp) {
        if (current == null) {
            return true; // 1: nobody holds the key
        }
        WriteStamp held = current.stamp();
        if (held.owner().equals(owner)) {
            return true; // 2: an owner may always overwrite itself
        }
        if (kind == Write.Kind.DELTA && !leasing) {
            return true; // 3
        }
        if (held.timestamp() < timestamp - leaseSeconds) {
            return true; // 4: the holder's lease ran out before this write was made
        }
        if (held.timestamp() == timestamp && held.owner().compareTo(owner) > 0) {
            return true; // 5: same second, smaller owner id wins
        }
        return !leasing && held.timestamp() < timestamp; // 6
    }

    /** The first second at which a write by another owner passes {@link #allows} over {@code holder}. */
    long writableAt(Entry holder) {
        return holder.stamp().timestamp() + (leasing ? leaseSeconds : 0) + 1;
    }

    Step apply(Entry current, Write write) {
        if (!allows(current, write.kind(), write.owner(), write.timestamp())) {
            return new Step(current, Verdict.REFUSED);
        }
        return switch (write.kind()) {
            case SET, DELETE -> new Step(new Entry(write.key(), write.value(), write.stamp()), Verdict.TAKEN);
            case DELTA -> applyDelta(current, write);
        };
    }

    /**
     * Spec §12.5: a shallow merge into the current map, starting from an empty map when the key
     * is absent or deleted. On any other value js2p drops the delta and keeps the metadata; so
     * does this rule, so that a delta never turns a string into a map.
     */
    private static Step applyDelta(Entry current, Write write) {
        Map<?, ?> delta = (Map<?, ?>) write.value();
        Map<Object, Object> merged = new LinkedHashMap<>();
        if (current != null && !current.isTombstone()) {
            if (!(current.value() instanceof Map<?, ?> base)) {
                return new Step(current, Verdict.NO_EFFECT);
            }
            merged.putAll(base);
        }
        merged.putAll(delta);
        return new Step(new Entry(write.key(), Collections.unmodifiableMap(merged), write.stamp()), Verdict.TAKEN);
    }

    /** See {@link SyncStore#replaysTo}. */
    boolean replaysTo(List<Write> chain, Entry base) {
        Entry state = null;
        Write previous = null;
        for (Write w : chain) {
            if (!w.key().equals(base.key()) || previous != null && WRITE_ORDER.compare(previous, w) >= 0) {
                return false;
            }
            Step step = apply(state, w);
            if (step.verdict() != Verdict.TAKEN) {
                return false;
            }
            state = step.state();
            previous = w;
        }
        return state != null
                && state.stamp().equals(base.stamp())
                && state.isTombstone() == base.isTombstone()
                && Canonical.compare(state.value(), base.value()) == 0;
    }
}
