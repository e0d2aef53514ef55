package dev.jv2p.bench.jmh;

import dev.jv2p.mesh.Protocol;
import dev.jv2p.mesh.internal.Plugins;
import dev.jv2p.mesh.internal.wire.FrameException;
import dev.jv2p.mesh.internal.wire.Frames;
import dev.jv2p.mesh.spi.Codec;
import dev.jv2p.mesh.spi.Compression;
import java.util.List;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * Framing of one encoded store message: {@code block} (SHA-256 ‖ payload, then compression when
 * a method is negotiated) on the way out, {@code open} (decompress, verify the checksum) on the
 * way in.
 */
public class FramesBenchmark extends JmhSettings {
    private static final int MAX_FRAME = 8 * 1024 * 1024;

    @Param({"none", "zlib", "gzip"})
    public String compression;

    private Compression method;
    private List<Compression> receiveMethods;
    private byte[] payload;
    private byte[] body;

    @Setup
    public void setUp() {
        ClassLoader loader = FramesBenchmark.class.getClassLoader();
        method = switch (compression) {
            case "none" -> null;
            case "zlib" -> Plugins.compression(0x13, List.of(), loader);
            case "gzip" -> Plugins.compression(0x11, List.of(), loader);
            default -> throw new IllegalArgumentException("unknown compression " + compression);
        };
        receiveMethods = method == null ? List.of() : List.of(method);
        Codec codec = Plugins.codec(Protocol.DEFAULT_CODEC, List.of(), loader);
        payload = codec.encode(Payloads.storeMessage(42));
        body = Frames.body(Frames.block(payload), method);
    }

    @Benchmark
    public byte[] block() {
        return Frames.body(Frames.block(payload), method);
    }

    @Benchmark
    public Frames.Block open() throws FrameException {
        return Frames.open(body, receiveMethods, MAX_FRAME);
    }
}
