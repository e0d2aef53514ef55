/**
 * The {@code protobuf} body codec, for meshes of jv2p nodes only (js2p speaks msgpack). Put
 * this module on the class path and select the codec by name in the mesh's
 * {@link dev.jv2p.mesh.Protocol}; the entry point is
 * {@link dev.jv2p.codec.protobuf.ProtobufCodec}.
 */
package dev.jv2p.codec.protobuf;
