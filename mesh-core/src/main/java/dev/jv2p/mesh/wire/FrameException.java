package dev.jv2p.mesh.wire;

/** A frame body that cannot be opened: no attempt verified, or it is too large. */
public final class FrameException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Why the frame was refused. */
    public enum Kind { CHECKSUM, TOO_LARGE }

    private final Kind kind;

    public FrameException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
