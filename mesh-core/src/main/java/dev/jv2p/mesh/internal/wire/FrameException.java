package dev.jv2p.mesh.internal.wire;

/** A frame body that cannot be opened: no attempt verified, or it is too large. */
public final class FrameException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Why the frame was refused. */
    public enum Kind {
        /** The body's SHA-256 does not match the checksum in front of it. */
        CHECKSUM,
        /** The body, or what it decompresses to, is over the frame limit. */
        TOO_LARGE
    }

    private final Kind kind;

    /** A refused frame of the given kind, with a message naming what was wrong. */
    public FrameException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    /** Why the frame was refused. */
    public Kind kind() {
        return kind;
    }
}
