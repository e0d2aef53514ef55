package dev.jv2p.mesh;

import dev.jv2p.mesh.MeshMessages.MeshMessage;
import dev.jv2p.mesh.internal.wire.Frames;

/**
 * One decoded message as the router receives it.
 *
 * @param message the message, as handlers and the user see it
 * @param block the verified block it came in, relayed unchanged
 * @param parsed the mesh message it is, or null when it is a protocol layer's or a user's
 * @param refusal why it is no well-formed mesh message, or null; acted on only if the
 *     message gets past the relay rules (a malformed message may still be relayed)
 */
record Inbound(Message message, Frames.Block block, MeshMessage parsed, RuntimeException refusal) {}
