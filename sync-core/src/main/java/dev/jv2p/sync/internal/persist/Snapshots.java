package dev.jv2p.sync.internal.persist;

import dev.jv2p.sync.internal.KeyHistory;
import dev.jv2p.sync.internal.SyncStore;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;

/**
 * A snapshot file: the header, then the body (the graveyard's two watermark arrays, the number
 * of keys and each key's history), then a trailer of the body's length (a long) and its CRC32C.
 * Written to a temporary file, forced to disk and renamed, so a snapshot file is whole or absent.
 */
final class Snapshots {
    private static final int TRAILER = 12;

    private Snapshots() {}

    static void write(Path file, SyncStore store) {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        List<KeyHistory> histories = store.histories();
        try (FileChannel ch = FileChannel.open(
                tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            ch.write(WalFormat.header(WalFormat.SNAPSHOT_MAGIC));
            OutputStream raw = Channels.newOutputStream(ch);
            CheckedOutputStream checked = new CheckedOutputStream(new BufferedOutputStream(raw, 1 << 16), new CRC32C());
            DataOutputStream out = new DataOutputStream(checked);
            long[][] graveyard = store.graveyardState();
            RecordCodec.writeLongs(out, graveyard[0]);
            RecordCodec.writeLongs(out, graveyard[1]);
            out.writeInt(histories.size());
            for (KeyHistory h : histories) {
                RecordCodec.writeHistory(out, h);
            }
            out.flush();
            ByteBuffer trailer = ByteBuffer.allocate(TRAILER);
            trailer.putLong(ch.position() - WalFormat.HEADER)
                    .putInt((int) checked.getChecksum().getValue());
            trailer.flip();
            ch.write(trailer);
            ch.force(true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write snapshot " + file, e);
        }
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot put snapshot " + file + " in place", e);
        }
    }

    /** Reads {@code file} and restores it into the empty {@code store}. */
    static void read(Path file, SyncStore store) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < WalFormat.HEADER + TRAILER) {
                throw WalFormat.corrupt(file, 0, "a snapshot of " + size + " bytes is shorter than its frame");
            }
            ByteBuffer header = ByteBuffer.allocate(WalFormat.HEADER);
            ch.read(header, 0);
            WalFormat.checkHeader(file, header.flip(), WalFormat.SNAPSHOT_MAGIC);
            ByteBuffer trailer = ByteBuffer.allocate(TRAILER);
            ch.read(trailer, size - TRAILER);
            trailer.flip();
            long bodyLength = trailer.getLong();
            int crc = trailer.getInt();
            if (bodyLength != size - WalFormat.HEADER - TRAILER) {
                throw WalFormat.corrupt(file, size - TRAILER, "the snapshot's trailer does not match its size");
            }
            ch.position(WalFormat.HEADER);
            InputStream body =
                    new LimitedStream(new BufferedInputStream(Channels.newInputStream(ch), 1 << 16), bodyLength);
            CheckedInputStream checked = new CheckedInputStream(body, new CRC32C());
            DataInputStream in = new DataInputStream(checked);
            long[][] graveyard = {RecordCodec.readLongs(in), RecordCodec.readLongs(in)};
            int n = in.readInt();
            List<KeyHistory> histories = new ArrayList<>(Math.max(0, Math.min(n, 1 << 20)));
            for (int i = 0; i < n; i++) {
                histories.add(RecordCodec.readHistory(in));
            }
            if (in.read() != -1 || (int) checked.getChecksum().getValue() != crc) {
                throw WalFormat.corrupt(file, WalFormat.HEADER, "the snapshot's checksum does not match its content");
            }
            store.restore(graveyard, histories);
        } catch (IOException | IllegalArgumentException e) {
            throw WalFormat.corrupt(file, WalFormat.HEADER, "the snapshot cannot be read (" + e.getMessage() + ")");
        }
    }

    /** At most {@code limit} bytes of a stream. */
    private static final class LimitedStream extends java.io.FilterInputStream {
        private long left;

        LimitedStream(InputStream in, long limit) {
            super(in);
            this.left = limit;
        }

        @Override
        public int read() throws IOException {
            if (left <= 0) {
                return -1;
            }
            int b = super.read();
            if (b >= 0) {
                left--;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left <= 0) {
                return -1;
            }
            int n = super.read(b, off, (int) Math.min(len, left));
            if (n > 0) {
                left -= n;
            }
            return n;
        }
    }
}
