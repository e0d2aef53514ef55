/** The msgpack body codec (js2p's default), a {@link dev.jv2p.mesh.spi.Codec} provider. */
module dev.jv2p.codec.msgpack {
    requires transitive dev.jv2p.mesh;
    requires msgpack.core;

    exports dev.jv2p.codec.msgpack;

    provides dev.jv2p.mesh.spi.Codec with
            dev.jv2p.codec.msgpack.MsgpackCodec;
}
