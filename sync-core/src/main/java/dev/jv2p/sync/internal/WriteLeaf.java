package dev.jv2p.sync.internal;

import dev.jv2p.mesh.internal.Hashes;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
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

    /** The 32-byte leaf of {@code write} in the mesh whose protocol id is {@code protocolId}. */
    public static byte[] of(String protocolId, Write write) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream(96);
        try (DataOutputStream out = new DataOutputStream(buffer)) {
            out.writeByte(0x00);
            out.write(DOMAIN);
            writeBytes(out, protocolId.getBytes(StandardCharsets.UTF_8));
            out.writeByte(write.kind().ordinal());
            writeBytes(out, write.key().bytes());
            writeBytes(out, write.owner().getBytes(StandardCharsets.UTF_8));
            out.writeLong(write.timestamp());
            out.writeLong(write.stamp().seq());
            Canonical.write(out, write.value());
        } catch (IOException e) {
            throw new UncheckedIOException("in-memory stream", e);
        }
        return Hashes.sha256(buffer.toByteArray());
    }

    private static void writeBytes(DataOutputStream out, byte[] bytes) throws IOException {
        out.writeInt(bytes.length);
        out.write(bytes);
    }
}
