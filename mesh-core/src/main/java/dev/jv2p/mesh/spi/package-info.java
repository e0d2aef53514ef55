/**
 * Plugin points of a jv2p node, discovered with {@link java.util.ServiceLoader}: a codec for
 * the body of frames, a transport for bytes, and frame compression methods. A plugin jar
 * ships a {@code META-INF/services} file naming its implementation, nothing more.
 */
package dev.jv2p.mesh.spi;
