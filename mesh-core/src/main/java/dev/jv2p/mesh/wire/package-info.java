/** Frame layout, checksums and the built-in compression methods of the p2p.today wire format. */
package dev.jv2p.mesh.wire;
