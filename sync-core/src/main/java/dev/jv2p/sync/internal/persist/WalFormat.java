package dev.jv2p.sync.internal.persist;

import dev.jv2p.sync.SyncException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/**
 * The files of a data directory, format version {@value #VERSION}. A segment of the log
 * ({@code wal-<n>.log}) and a snapshot ({@code snapshot-<n>.snap}, the state before segment
 * {@code n}) both start with a 12-byte header: 8 bytes of magic naming the kind of file, then
 * the format version as a big-endian int. A segment then holds records, each framed as a
 * 4-byte length, the CRC32C of the payload, and the payload: a type byte, the store's time
 * ({@code now}, a long) and the record's content ({@link RecordCodec}). A snapshot holds one
 * such frame with the whole state.
 */
final class WalFormat {
    static final int VERSION = 2;
    static final int HEADER = 12;
    static final int FRAME = 8;
    /** Larger than any record a node writes (a value is bounded by the mesh's frame limit). */
    static final int MAX_RECORD = 1 << 30;

    static final byte[] LOG_MAGIC = "jv2p-wal".getBytes(StandardCharsets.US_ASCII);
    static final byte[] SNAPSHOT_MAGIC = "jv2psnap".getBytes(StandardCharsets.US_ASCII);

    static final int APPLY = 1;
    static final int ADOPT = 2;
    static final int COLLECT = 3;
    static final int GRAVEYARD = 4;
    static final int PROOF = 5;
    static final int CHAIN = 6;

    /** The documented way out, in every message about a file that cannot be read. */
    static final String WAY_OUT = "; to start anyway, move the data directory aside and start with an empty one (the"
            + " node fetches the dictionary from its peers), or see \"Durability\" in docs/GUIDE.md for a repair";

    private WalFormat() {}

    static ByteBuffer header(byte[] magic) {
        ByteBuffer b = ByteBuffer.allocate(HEADER);
        b.put(magic).putInt(VERSION).flip();
        return b;
    }

    /** Checks a file's header, throwing the error that names the file when it is not one this node reads. */
    static void checkHeader(Path file, ByteBuffer header, byte[] magic) {
        byte[] found = new byte[magic.length];
        header.get(found);
        if (!java.util.Arrays.equals(found, magic)) {
            throw corrupt(file, 0, "not a jv2p " + (magic == LOG_MAGIC ? "log segment" : "snapshot"));
        }
        int version = header.getInt();
        if (version != VERSION) {
            throw new SyncException(file + " is in on-disk format version " + version + "; this jv2p reads version "
                    + VERSION + ": start the jv2p version that wrote it, or" + WAY_OUT.substring(1));
        }
    }

    static int crc(ByteBuffer payload) {
        CRC32C crc = new CRC32C();
        crc.update(payload.duplicate());
        return (int) crc.getValue();
    }

    static SyncException corrupt(Path file, long offset, String what) {
        return new SyncException("corrupt data file " + file + " at offset " + offset + ": " + what + WAY_OUT);
    }
}
