package dev.jv2p.mesh.spi;

/**
 * Bounds a decoder must enforce on untrusted bodies.
 *
 * @param maxDepth deepest nesting of lists and maps (the packet list itself is depth 1)
 * @param maxElements total number of values in one body, counted over all levels
 */
public record DecodeLimits(int maxDepth, int maxElements) {

    /** Limits that fit every message jv2p and js2p send: depth 32, one million values. */
    public static final DecodeLimits DEFAULT = new DecodeLimits(32, 1_000_000);

    /** Checks that both limits are positive. */
    public DecodeLimits {
        if (maxDepth < 1) {
            throw new IllegalArgumentException("maxDepth must be at least 1, was " + maxDepth);
        }
        if (maxElements < 1) {
            throw new IllegalArgumentException("maxElements must be at least 1, was " + maxElements);
        }
    }
}
