package dev.jv2p.sync;

/**
 * Where sync-core reads monotonic time: the one place that calls {@link System#nanoTime()}, so
 * that an injected ticker (a fake one in tests) can later replace it without touching the
 * protocol code. Readings are only compared with each other; their origin is arbitrary.
 */
@FunctionalInterface
interface SyncClock {
    /** The system's monotonic clock. */
    SyncClock SYSTEM = System::nanoTime;

    /** The current reading, in nanoseconds from an arbitrary origin. */
    long nanoTime();
}
