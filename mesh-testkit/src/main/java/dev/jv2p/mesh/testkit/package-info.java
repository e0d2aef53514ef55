/**
 * Testing against a mesh in one JVM, fast and deterministic.
 *
 * <ul>
 *   <li>{@link dev.jv2p.mesh.testkit.TestMesh}: starts named nodes, joins them ({@code
 *       joinAndAwait}: connect, then wait until both routing tables hold each other) and closes
 *       them all.
 *   <li>{@link dev.jv2p.mesh.testkit.NetworkEmulator}: an {@link dev.jv2p.mesh.InMemoryNetwork}
 *       between named nodes whose links can drop or delay bytes, and be partitioned.
 *   <li>{@link dev.jv2p.mesh.testkit.VirtualTime}: an event loop whose clock moves only when the
 *       test advances it; keep-alive, handshake timeouts, redial and anti-entropy then run in
 *       milliseconds of real time.
 * </ul>
 *
 * <pre>{@code
 * try (TestMesh mesh = TestMesh.virtual()) {
 *     MeshSocket a = mesh.start("a");
 *     MeshSocket b = mesh.start("b");
 *     mesh.joinAndAwait(a, b);
 *     mesh.network().isolate("b");                   // b looks paused
 *     mesh.time().advance(Duration.ofSeconds(30));   // past a's keep-alive timeout
 *     assertFalse(a.routingTable().containsKey(b.id()));
 * }
 * }</pre>
 */
package dev.jv2p.mesh.testkit;
