/**
 * Plugin points of a jv2p node, discovered with {@link java.util.ServiceLoader}: a codec for
 * the body of frames, a transport for bytes, and frame compression methods. A plugin jar
 * ships a {@code META-INF/services} file naming its implementation, nothing more.
 *
 * <p>What a plugin works with is here too: the value model every codec carries ({@link
 * dev.jv2p.mesh.spi.Values}) and the p2p.today flags ({@link dev.jv2p.mesh.spi.Flags}), so a
 * plugin needs no other package of the node.
 */
package dev.jv2p.mesh.spi;
