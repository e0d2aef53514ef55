/**
 * Encrypted transports for jv2p meshes, found through {@code META-INF/services} by their
 * p2p.today encryption names:
 * <ul>
 *   <li>{@link dev.jv2p.transport.tls.SslTransport} ({@code SSL}): js2p-compatible TLS with a
 *       throw-away certificate and no peer verification. It stops eavesdroppers only.</li>
 *   <li>{@link dev.jv2p.transport.tls.TlsTransport} ({@code TLS}): TLS 1.3 with mutual
 *       authentication; node ids are Ed25519 public keys ({@link dev.jv2p.transport.tls.NodeKeyIds}),
 *       a peer must hold the key of the id it announces, and the synchronized dictionary signs
 *       and checks every write's owner.</li>
 * </ul>
 * The threat model is in {@code SECURITY.md} at the root of the repository.
 */
package dev.jv2p.transport.tls;
