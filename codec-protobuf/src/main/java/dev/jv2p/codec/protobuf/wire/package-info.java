/**
 * Message classes generated at build time from {@code src/main/proto/jv2p/packets.proto}.
 * They are public because protoc makes them so, not API: use
 * {@link dev.jv2p.codec.protobuf.ProtobufCodec}.
 */
package dev.jv2p.codec.protobuf.wire;
