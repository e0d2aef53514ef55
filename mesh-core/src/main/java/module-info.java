/**
 * The mesh node: {@link dev.jv2p.mesh.MeshSocket}, its configuration and status, and the plugin
 * points in {@link dev.jv2p.mesh.spi} (codecs, transports, compression), found with
 * {@link java.util.ServiceLoader}. The frame format ({@code dev.jv2p.mesh.wire}) is internal.
 */
module dev.jv2p.mesh {
    requires transitive io.netty.transport;
    requires io.netty.buffer;
    requires io.netty.codec;
    requires io.netty.common;
    requires io.netty.handler;
    requires org.slf4j;

    exports dev.jv2p.mesh;
    exports dev.jv2p.mesh.spi;

    uses dev.jv2p.mesh.spi.Codec;
    uses dev.jv2p.mesh.spi.Compression;
    uses dev.jv2p.mesh.spi.Transport;

    provides dev.jv2p.mesh.spi.Compression with
            dev.jv2p.mesh.wire.ZlibCompression,
            dev.jv2p.mesh.wire.GzipCompression;
    provides dev.jv2p.mesh.spi.Transport with
            dev.jv2p.mesh.PlaintextTransport;
}
