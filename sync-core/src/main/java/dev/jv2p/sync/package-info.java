/**
 * The synchronized dictionary of p2p.today: keys ({@link dev.jv2p.sync.Key}), their metadata
 * ({@link dev.jv2p.sync.MetaTuple}) and the exceptions callers see. The deterministic merge
 * engine behind it lives in {@code dev.jv2p.sync.internal}.
 */
package dev.jv2p.sync;
