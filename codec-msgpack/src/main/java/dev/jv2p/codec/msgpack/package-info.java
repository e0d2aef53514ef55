/**
 * The {@code msgpack} body codec of the p2p.today 0.7 wire format, compatible with js2p
 * 0.7.870. Put this module on the class path and select the codec by name; the entry point
 * is {@link dev.jv2p.codec.msgpack.MsgpackCodec}.
 */
package dev.jv2p.codec.msgpack;
