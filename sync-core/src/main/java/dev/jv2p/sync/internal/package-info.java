/**
 * The deterministic merge engine of the synchronized dictionary, for the network layer
 * ({@code SyncSocket}) only: {@link dev.jv2p.sync.internal.SyncStore} and the writes, stamps,
 * entries, histories and digests it works with. Nothing here does I/O, reads a clock or
 * starts a thread; not part of the user API and free to change.
 */
package dev.jv2p.sync.internal;
