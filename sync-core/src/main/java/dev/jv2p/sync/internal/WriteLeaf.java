package dev.jv2p.sync.internal;

import dev.jv2p.mesh.internal.Hashes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * What an owner signs for one write: a SHA-256 leaf over the mesh's protocol id, the write's
 * kind, key, full stamp (owner, timestamp, seq) and {@linkplain Canonical canonical} value.
 * Binding the protocol id keeps a signed write from being replayed into another mesh;
 * binding the owner means a relay cannot re-attribute it. Leaves start with {@code 0x00} and
 * inner nodes of {@link MerkleBatch} with {@code 0x01}, so neither can pass for the other.
 */
public final class WriteLeaf {
    private static final byte[] DOMAIN = "jv2p-write/1".getBytes(StandardCharsets.US_ASCII);

    private WriteLeaf() {}

    /** Each thread's sink for the bytes of a leaf ({@link ByteSink}). */
    private static final ThreadLocal<ByteSink> BYTES = ThreadLocal.withInitial(ByteSink::new);

    /** The 32-byte leaf of {@code write} in the mesh whose protocol id is {@code protocolId}. */
    public static byte[] of(String protocolId, Write write) {
        ByteSink out = BYTES.get();
        out.reset();
        out.writeByte(0x00);
        out.write(DOMAIN);
        writeBytes(out, protocolId.getBytes(StandardCharsets.UTF_8));
        out.writeByte(write.kind().ordinal());
        writeBytes(out, write.key().bytes());
        writeBytes(out, write.owner().getBytes(StandardCharsets.UTF_8));
        out.writeLong(write.timestamp());
        out.writeLong(write.stamp().seq());
        try {
            Canonical.write(out, write.value());
        } catch (IOException e) {
            throw new UncheckedIOException("in-memory buffer", e);
        }
        return Hashes.sha256(out.buffer(), 0, out.length());
    }

    private static void writeBytes(ByteSink out, byte[] bytes) {
        out.writeInt(bytes.length);
        out.write(bytes);
    }
}
