/**
 * The protobuf body codec, a {@link dev.jv2p.mesh.spi.Codec} provider. The generated messages
 * ({@code dev.jv2p.codec.protobuf.wire}) are internal, open to the protobuf runtime only.
 */
module dev.jv2p.codec.protobuf {
    requires transitive dev.jv2p.mesh;
    requires com.google.protobuf;

    exports dev.jv2p.codec.protobuf;

    opens dev.jv2p.codec.protobuf.wire to
            com.google.protobuf;

    provides dev.jv2p.mesh.spi.Codec with
            dev.jv2p.codec.protobuf.ProtobufCodec;
}
