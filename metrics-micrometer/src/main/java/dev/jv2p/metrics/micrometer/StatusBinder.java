package dev.jv2p.metrics.micrometer;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.LongSupplier;

/** What both binders share: the node, its tags, and the cached snapshot every meter reads. */
abstract class StatusBinder<N, S> implements MeterBinder {
    static final Duration DEFAULT_MAX_AGE = Duration.ofSeconds(1);

    private final N node;
    private final Function<N, S> snapshot;
    private final String nodeId;
    /** The node's monotonic clock: the ticker of its event loop. */
    private final LongSupplier ticker;

    private final Iterable<Tag> tags;
    private final Duration maxAge;

    StatusBinder(
            N node, Function<N, S> snapshot, String nodeId, LongSupplier ticker, Iterable<Tag> tags, Duration maxAge) {
        this.node = Objects.requireNonNull(node, "node");
        this.snapshot = snapshot;
        this.nodeId = nodeId;
        this.ticker = ticker;
        this.tags = Objects.requireNonNull(tags, "tags");
        this.maxAge = Objects.requireNonNull(maxAge, "maxAge");
    }

    @Override
    public final void bindTo(MeterRegistry registry) {
        CachedStatus<S> status = new CachedStatus<>(() -> snapshot.apply(node), ticker, maxAge);
        register(new Meters<>(registry, node, status, Tags.of(tags).and("node.id", nodeId)));
    }

    abstract void register(Meters<S> meters);
}
