package dev.jv2p.mesh.internal.wire;

import dev.jv2p.mesh.spi.Compression;
import java.io.IOException;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * p2p.today method {@code 0x13}: the RFC 1950 zlib container (header, deflate, Adler-32),
 * never raw deflate (spec §5.1).
 */
public final class ZlibCompression implements Compression {
    /** The p2p.today method id of zlib. */
    public static final int FLAG = 0x13;

    @Override
    public int flag() {
        return FLAG;
    }

    @Override
    public String name() {
        return "zlib";
    }

    @Override
    public byte[] compress(byte[] data) {
        Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, false);
        try {
            deflater.setInput(data);
            deflater.finish();
            return Streams.drainDeflater(deflater, data.length);
        } finally {
            deflater.end();
        }
    }

    @Override
    public byte[] decompress(byte[] data, int maxSize) throws IOException {
        Inflater inflater = new Inflater(false);
        try {
            inflater.setInput(data);
            byte[] out = Streams.drainInflater(inflater, maxSize);
            if (!inflater.finished()) {
                throw new IOException("truncated zlib stream");
            }
            if (inflater.getRemaining() != 0) {
                throw new IOException("trailing bytes after zlib stream");
            }
            return out;
        } catch (DataFormatException e) {
            throw new IOException("not a zlib stream: " + e.getMessage(), e);
        } finally {
            inflater.end();
        }
    }
}
