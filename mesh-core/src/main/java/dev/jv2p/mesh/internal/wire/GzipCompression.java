package dev.jv2p.mesh.internal.wire;

import dev.jv2p.mesh.spi.Compression;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/** p2p.today method {@code 0x11}: the RFC 1952 gzip container (spec §5.1). */
public final class GzipCompression implements Compression {
    /** The p2p.today method id of gzip. */
    public static final int FLAG = 0x11;

    @Override
    public int flag() {
        return FLAG;
    }

    @Override
    public String name() {
        return "gzip";
    }

    @Override
    public byte[] compress(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, data.length / 2));
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException("in-memory gzip cannot fail", e);
        }
        return out.toByteArray();
    }

    @Override
    public byte[] decompress(byte[] data, int maxSize) throws IOException {
        ByteArrayInputStream source = new ByteArrayInputStream(data);
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        // GZIPInputStream also reads concatenated members and ignores trailing junk; the
        // checksum over the result still decides whether the body is accepted.
        try (InputStream in = new GZIPInputStream(source)) {
            byte[] buffer = new byte[8192];
            int n;
            while ((n = in.read(buffer)) > 0) {
                if (out.size() + n > maxSize) {
                    throw new SizeLimitException(maxSize);
                }
                out.write(buffer, 0, n);
            }
        } catch (java.io.EOFException e) {
            throw new IOException("truncated gzip stream", e);
        }
        return out.toByteArray();
    }
}
