package dev.jv2p.metrics.micrometer;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.function.ToDoubleFunction;

/**
 * Registers meters that read one figure of a cached status snapshot. The meters hold the
 * node weakly (Micrometer's rule), so a closed and forgotten node does not stay in memory.
 */
final class Meters<S> {
    private final MeterRegistry registry;
    private final Object node;
    private final CachedStatus<S> status;
    private final Tags tags;

    Meters(MeterRegistry registry, Object node, CachedStatus<S> status, Tags tags) {
        this.registry = registry;
        this.node = node;
        this.status = status;
        this.tags = tags;
    }

    /** A monotonic count, such as bytes received. */
    void counter(String name, String unit, String description, ToDoubleFunction<S> figure, String... extraTags) {
        FunctionCounter.builder(name, node, n -> figure.applyAsDouble(status.get()))
                .tags(tags.and(extraTags))
                .baseUnit(unit)
                .description(description)
                .register(registry);
    }

    /** A value that goes up and down, such as the number of peers. */
    void gauge(String name, String unit, String description, ToDoubleFunction<S> figure) {
        Gauge.builder(name, node, n -> figure.applyAsDouble(status.get()))
                .tags(tags)
                .baseUnit(unit)
                .description(description)
                .register(registry);
    }
}
