package dev.jv2p.mesh;

/**
 * The one place mesh-core reads the monotonic clock, so that an injected ticker can later
 * replace it without a hunt through the protocol code.
 */
final class MonotonicTime {
    private MonotonicTime() {}

    static long nanos() {
        return System.nanoTime();
    }
}
