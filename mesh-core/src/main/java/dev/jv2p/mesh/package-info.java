/**
 * A node of a p2p.today mesh: {@link dev.jv2p.mesh.MeshSocket} and its configuration,
 * {@link dev.jv2p.mesh.Protocol} ids, {@link dev.jv2p.mesh.Message}s, and the extension points
 * that layers such as the synchronized dictionary use ({@link dev.jv2p.mesh.MessageHandler},
 * {@link dev.jv2p.mesh.PeerEvents}, {@link dev.jv2p.mesh.PeerLink}).
 *
 * <p>Threading in one sentence: every node owns one Netty event loop on which all its routing
 * state changes; public methods are thread-safe and hand work to that loop; listeners run on
 * the node's callback thread, handlers and peer events on the loop.
 */
package dev.jv2p.mesh;
