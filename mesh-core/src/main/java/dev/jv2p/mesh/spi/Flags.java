package dev.jv2p.mesh.spi;

/** p2p.today main flags (element 0) and sub-flags (element 3), spec §7, plus jv2p's own. */
public final class Flags {
    private Flags() {}

    // Main flags.
    /** Main flag: to every node, relayed. */
    public static final int BROADCAST = 0x00;
    /** Main flag: connection-level renegotiation (compression, resend). */
    public static final int RENEGOTIATE = 0x01;
    /** Main flag: to one peer. */
    public static final int WHISPER = 0x02;
    /** Main flag: keep-alive ping. */
    public static final int PING = 0x03;
    /** Main flag: keep-alive answer. */
    public static final int PONG = 0x04;

    // Sub-flags.
    /** Sub-flag, renegotiate: the sender's compression list. */
    public static final int COMPRESSION = 0x01;
    /** Sub-flag, handshake: id, protocol id, address, compression. */
    public static final int HANDSHAKE = 0x05;
    /** Sub-flag, notification (unused by jv2p). */
    public static final int NOTIFY = 0x06;
    /** Sub-flag, a peers list. */
    public static final int PEERS = 0x07;
    /** Sub-flag, a request: for a peer's address, or {@code '*'} for state. */
    public static final int REQUEST = 0x08;
    /** Sub-flag, renegotiate: ask for a resend. */
    public static final int RESEND = 0x09;
    /** Sub-flag, the answer to an address request. */
    public static final int RESPONSE = 0x0A;
    /** Sub-flag, sync: a store (set) of a key. */
    public static final int STORE = 0x0B;
    /** Sub-flag, sync: a delta merged into a map. */
    public static final int DELTA = 0x11;

    /** First sub-flag outside the range p2p.today reserves; js2p ignores these (spec §17a). */
    public static final int EXTENSION_BASE = 0x30;
    /** jv2p hello, whispered right after the handshake: {@code [0x30, "jv2p", version]}. */
    public static final int JV2P_HELLO = 0x30;
    /** jv2p keep-alive ping (main flag {@link #PING}). */
    public static final int JV2P_PING = 0x31;
    /** jv2p keep-alive pong (main flag {@link #PONG}). */
    public static final int JV2P_PONG = 0x32;
    /**
     * Broadcast tree: ids of broadcasts the sender holds, {@code [0x33, ids]} with {@code ids}
     * 16 bytes per broadcast (the start of its checksum). Whispered, between tree links only.
     */
    public static final int TREE_IHAVE = 0x33;
    /** Broadcast tree: push payloads to the sender again and send it these, {@code [0x34, ids]}. */
    public static final int TREE_GRAFT = 0x34;
    /** Broadcast tree: stop pushing payloads to the sender, announce ids instead, {@code [0x35]}. */
    public static final int TREE_PRUNE = 0x35;
    /** Sub-flags from here up are free for layers above the mesh (sync uses them). */
    public static final int LAYER_EXTENSION_BASE = 0x38;
}
