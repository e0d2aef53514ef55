/** The {@code SSL} and {@code TLS} transports, {@link dev.jv2p.mesh.spi.Transport} providers. */
module dev.jv2p.transport.tls {
    requires transitive dev.jv2p.mesh;
    requires io.netty.buffer;
    requires io.netty.common;
    requires io.netty.handler;
    requires org.bouncycastle.pkix;
    requires org.bouncycastle.provider;
    requires org.slf4j;

    exports dev.jv2p.transport.tls;

    provides dev.jv2p.mesh.spi.Transport with
            dev.jv2p.transport.tls.SslTransport,
            dev.jv2p.transport.tls.TlsTransport;
}
