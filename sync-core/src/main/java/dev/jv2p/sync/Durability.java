package dev.jv2p.sync;

/**
 * When a node with a data directory ({@link SyncConfig#dataDirectory()}) considers a write
 * safe, in the manner of Redis's {@code appendfsync} and Ignite's WAL modes. In every mode a
 * write is in the node's log, in the operating system's hands, before its call is acknowledged,
 * so a crash of the process loses no acknowledged write; the modes differ on a crash of the
 * machine (a power cut).
 */
public enum Durability {
    /**
     * A write call returns once the disk has confirmed the write ({@code fsync}); on the event
     * loop only the async forms may be used ({@link SyncSocket#setAsync}: the future completes
     * then). A power cut loses no acknowledged write.
     */
    ALWAYS,
    /**
     * The default: the log is forced to disk at least every 10 ms, for all writes since the last
     * time together; a power cut loses at most that window.
     */
    GROUP_COMMIT,
    /** The log is never forced while the node runs (only when it closes); the operating system writes it back when it likes. */
    OS
}
