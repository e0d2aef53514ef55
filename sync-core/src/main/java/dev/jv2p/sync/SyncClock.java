package dev.jv2p.sync;

import dev.jv2p.mesh.LayerContext;

/**
 * Where sync-core reads monotonic time. A node's clock is {@link #of(LayerContext)}: the ticker
 * of the mesh node's event loop ({@link LayerContext#nanoTime()}), the same one its timers
 * ({@link LayerContext#schedule}) run by, so pacing measured with it agrees with the timers, in
 * real time and in mesh-testkit's virtual time alike. Readings are only compared with each
 * other; their origin is arbitrary.
 */
@FunctionalInterface
interface SyncClock {
    /** The clock of the node behind {@code mesh}. */
    static SyncClock of(LayerContext mesh) {
        return mesh::nanoTime;
    }

    /** The current reading, in nanoseconds from an arbitrary origin. */
    long nanoTime();
}
