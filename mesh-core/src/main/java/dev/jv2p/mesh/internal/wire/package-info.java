/**
 * Not API: frame layout, checksums and the built-in compression methods of the p2p.today wire
 * format. Not exported by {@code module-info}; compression is chosen by its p2p.today flag.
 */
package dev.jv2p.mesh.internal.wire;
