package dev.jv2p.mesh.internal.wire;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/** Bounded draining of {@link Deflater} and {@link Inflater}. */
final class Streams {
    private Streams() {}

    static byte[] drainDeflater(Deflater deflater, int sizeHint) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, sizeHint / 2));
        byte[] buffer = new byte[8192];
        while (!deflater.finished()) {
            int n = deflater.deflate(buffer);
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }

    /** Inflates until the stream ends; fails as soon as the output would exceed maxSize. */
    static byte[] drainInflater(Inflater inflater, int maxSize) throws DataFormatException, IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        byte[] buffer = new byte[8192];
        while (!inflater.finished()) {
            int n = inflater.inflate(buffer);
            if (n == 0) {
                if (inflater.needsInput() || inflater.needsDictionary()) {
                    break;
                }
                continue;
            }
            if (out.size() + n > maxSize) {
                throw new SizeLimitException(maxSize);
            }
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }
}
