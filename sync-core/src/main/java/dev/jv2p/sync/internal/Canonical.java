package dev.jv2p.sync.internal;

import dev.jv2p.mesh.spi.Values;
import java.io.DataOutput;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * A canonical byte encoding of the value model, so that every node orders and hashes equal
 * values identically: two values encode to the same bytes exactly when
 * {@link dev.jv2p.mesh.spi.Values#deepEquals} holds, whatever the iteration order of their maps.
 *
 * <p>The form is {@link ValueCodec}'s with map entries sorted by the encoding of their keys.
 * This is an internal fingerprint, not a wire format,
 * but it feeds the anti-entropy digest, so changing it changes every digest: version it then.
 */
final class Canonical {
    private Canonical() {}

    static byte[] encode(Object value) {
        ByteSink out = new ByteSink(); // not a thread's shared sink: a map's keys are encoded while its caller writes
        try {
            write(out, value);
        } catch (IOException e) {
            throw new UncheckedIOException("in-memory buffer", e);
        }
        return out.toByteArray();
    }

    /** Unsigned lexicographic order of the encodings: a total order consistent with deepEquals. */
    static int compare(Object a, Object b) {
        if (a == b || Values.deepEquals(a, b)) {
            // Equal values encode alike; the usual case, a write received twice, costs no encoding.
            return 0;
        }
        return Arrays.compareUnsigned(encode(a), encode(b));
    }

    static void write(DataOutput out, Object value) throws IOException {
        ValueCodec.write(out, value, true);
    }
}
