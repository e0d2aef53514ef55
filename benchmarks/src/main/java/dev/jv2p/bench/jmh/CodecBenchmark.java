package dev.jv2p.bench.jmh;

import dev.jv2p.mesh.internal.Plugins;
import dev.jv2p.mesh.spi.Codec;
import dev.jv2p.mesh.spi.CodecException;
import dev.jv2p.mesh.spi.DecodeLimits;
import java.util.List;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/** Encoding and decoding one dictionary write (a store message), per codec found through the SPI. */
public class CodecBenchmark extends JmhSettings {
    @Param({"msgpack", "protobuf"})
    public String codec;

    private Codec impl;
    private List<Object> message;
    private byte[] encoded;

    @Setup
    public void setUp() {
        impl = Plugins.codec(codec, List.of(), CodecBenchmark.class.getClassLoader());
        message = Payloads.storeMessage(42);
        encoded = impl.encode(message);
    }

    @Benchmark
    public byte[] encode() {
        return impl.encode(message);
    }

    @Benchmark
    public List<Object> decode() throws CodecException {
        return impl.decode(encoded, DecodeLimits.DEFAULT);
    }
}
