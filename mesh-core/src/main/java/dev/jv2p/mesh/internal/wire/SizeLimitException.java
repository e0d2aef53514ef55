package dev.jv2p.mesh.internal.wire;

import java.io.IOException;

/** A compressed body that would inflate past the allowed size (a zip bomb, or just too big). */
public final class SizeLimitException extends IOException {
    private static final long serialVersionUID = 1L;

    /** An exception naming the limit, in bytes, that the body would pass. */
    public SizeLimitException(int limit) {
        super("decompressed size exceeds the limit of " + limit + " bytes");
    }
}
