/**
 * Not API: node ids, hashes, base58, plugin loading and the plaintext transport. Exported by
 * {@code module-info} only to the jv2p modules that build on them and left out of the javadoc;
 * names and signatures here change without notice.
 */
package dev.jv2p.mesh.internal;
