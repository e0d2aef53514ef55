package dev.jv2p.mesh.spi;

/** A body that a {@link Codec} cannot decode: malformed, truncated, or over a limit. */
public class CodecException extends Exception {
    private static final long serialVersionUID = 1L;

    /** An exception with {@code message}. */
    public CodecException(String message) {
        super(message);
    }

    /** An exception with {@code message}, caused by {@code cause}. */
    public CodecException(String message, Throwable cause) {
        super(message, cause);
    }
}
