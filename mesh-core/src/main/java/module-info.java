/**
 * The mesh node: {@link dev.jv2p.mesh.MeshSocket}, its configuration and status, and the plugin
 * points in {@link dev.jv2p.mesh.spi} (codecs, transports, compression, the value model and the
 * p2p.today flags), found with {@link java.util.ServiceLoader}. {@code dev.jv2p.mesh.internal}
 * (ids, hashes, plugin loading, the plaintext transport) is exported only to the jv2p modules that
 * build on it; {@code dev.jv2p.mesh.internal.wire} (the frame format) not at all.
 */
// "module": the qualified exports name modules built after this one (javac cannot see them yet)
@SuppressWarnings("module")
module dev.jv2p.mesh {
    requires transitive io.netty.transport;
    requires io.netty.buffer;
    requires io.netty.codec;
    requires io.netty.common;
    requires io.netty.handler;
    requires org.slf4j;

    exports dev.jv2p.mesh;
    exports dev.jv2p.mesh.spi;
    exports dev.jv2p.mesh.internal to
            dev.jv2p.sync,
            dev.jv2p.transport.tls,
            dev.jv2p.cli;

    uses dev.jv2p.mesh.spi.Codec;
    uses dev.jv2p.mesh.spi.Compression;
    uses dev.jv2p.mesh.spi.Transport;

    provides dev.jv2p.mesh.spi.Compression with
            dev.jv2p.mesh.internal.wire.ZlibCompression,
            dev.jv2p.mesh.internal.wire.GzipCompression;
    provides dev.jv2p.mesh.spi.Transport with
            dev.jv2p.mesh.internal.PlaintextTransport;
}
