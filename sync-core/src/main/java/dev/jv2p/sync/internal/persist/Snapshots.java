package dev.jv2p.sync.internal.persist;

import dev.jv2p.sync.Key;
import dev.jv2p.sync.internal.Entry;
import dev.jv2p.sync.internal.KeyImage;
import dev.jv2p.sync.internal.ProofJournal;
import dev.jv2p.sync.internal.SyncStore;
import dev.jv2p.sync.internal.Write;
import dev.jv2p.sync.internal.WriteStamp;
import java.io.DataOutput;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;

/**
 * A snapshot file: the header, then the body (the graveyard's two watermark arrays, the number
 * of keys and each key's {@link KeyImage}: its hashes and history, in key order, the owners of
 * stamps by number, see {@link Owners}), then a trailer
 * of the body's length (a long) and its CRC32C. Written to a temporary file, forced to disk and
 * renamed, so a snapshot file is whole or absent. The keys come back in the order they were
 * written, so a restart fills the node's sorted read view without sorting a million keys.
 */
final class Snapshots {
    private static final int TRAILER = 12;
    /** The fewest bytes a key takes in a snapshot (hashes, length, horizon, flag, count). */
    private static final int MIN_KEY_BYTES = 41;

    private static final Comparator<KeyImage> BY_KEY = Comparator.comparing(KeyImage::key);

    private Snapshots() {}

    private static final int PROOF = 1;
    private static final int CHAIN = 2;
    private static final int END = 0;

    /**
     * What a snapshot holds, copied from the store on its thread, so that it can be written on
     * another while the store goes on changing: the histories (each a copy), the graveyard and
     * the owners' proofs.
     */
    static final class State {
        private final long[][] graveyard;
        /** In no order: sorted by the thread that writes them, not the store's. */
        private final List<KeyImage> images;

        private final ProofBuffer proofs = new ProofBuffer();

        private State(SyncStore store, Consumer<ProofJournal> heldProofs) {
            this.graveyard = store.graveyardState();
            this.images = store.images();
            heldProofs.accept(proofs);
        }
    }

    /** Copies what a snapshot of {@code store} holds; on the store's thread. */
    static State capture(SyncStore store, Consumer<ProofJournal> heldProofs) {
        return new State(store, heldProofs);
    }

    /** Writes {@code state} as the snapshot {@code file}; on any thread. */
    static void write(Path file, State state) {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        List<KeyImage> images = state.images;
        images.sort(BY_KEY);
        try (FileChannel ch = FileChannel.open(
                tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            ch.write(WalFormat.header(WalFormat.SNAPSHOT_MAGIC));
            BufferOutput out = new BufferOutput(ch);
            long[][] graveyard = state.graveyard;
            RecordCodec.writeLongs(out, graveyard[0]);
            RecordCodec.writeLongs(out, graveyard[1]);
            out.writeInt(images.size());
            Owners owners = Owners.table();
            for (KeyImage image : images) {
                RecordCodec.writeImage(out, image, owners);
            }
            writeProofs(out, state.proofs::replay);
            out.drain();
            ByteBuffer trailer = ByteBuffer.allocate(TRAILER);
            trailer.putLong(ch.position() - WalFormat.HEADER).putInt(out.crc());
            trailer.flip();
            ch.write(trailer);
            ch.force(true);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(tmp); // a snapshot not written whole leaves no space taken
            } catch (IOException again) {
                e.addSuppressed(again);
            }
            throw new UncheckedIOException("cannot write snapshot " + file + " (" + e.getMessage() + ")", e);
        }
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot put snapshot " + file + " in place", e);
        }
    }

    /** After the histories, each proof and chain as a tagged entry, then {@link #END}. */
    private static void writeProofs(DataOutput out, Consumer<ProofJournal> heldProofs) throws IOException {
        try {
            heldProofs.accept(new ProofJournal() {
                @Override
                public void proven(Key key, WriteStamp stamp, Write.Kind kind, byte[] leaf, byte[] proof) {
                    try {
                        out.writeByte(PROOF);
                        RecordCodec.writeProof(out, key, stamp, kind, leaf, proof);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }

                @Override
                public void chained(Key key, WriteStamp baseStamp, List<Write> writes, List<byte[]> proofs) {
                    try {
                        out.writeByte(CHAIN);
                        RecordCodec.writeChain(out, key, baseStamp, writes, proofs);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        out.writeByte(END);
    }

    /**
     * Reads {@code file} and restores it into the empty {@code store}, its proofs into {@code
     * proofs}; returns the live entries restored, in key order. The keys go into the store as
     * they are read: if the checksum then fails, the load fails and the store is dropped.
     */
    static List<Entry> read(Path file, SyncStore store, ProofJournal proofs) {
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
            BufferInput in = BufferInput.of(ch, bodyLength);
            long[][] graveyard = {RecordCodec.readLongs(in), RecordCodec.readLongs(in)};
            int n = in.readInt();
            if (n < 0 || n > bodyLength / MIN_KEY_BYTES) {
                throw new IOException("a count of " + n + " keys in " + bodyLength + " bytes");
            }
            store.restoring(graveyard, n);
            List<Entry> live = restoreKeys(in, n, store);
            ProofBuffer held = new ProofBuffer();
            for (int tag = in.readUnsignedByte(); tag != END; tag = in.readUnsignedByte()) {
                switch (tag) {
                    case PROOF -> RecordCodec.readProof(in, held);
                    case CHAIN -> RecordCodec.readChain(in, held);
                    default -> throw new IOException("unknown entry " + tag + " after the histories");
                }
            }
            if (in.remaining() != 0 || in.crc() != crc) {
                throw WalFormat.corrupt(file, WalFormat.HEADER, "the snapshot's checksum does not match its content");
            }
            held.replay(proofs);
            return live;
        } catch (IOException | IllegalArgumentException e) {
            throw WalFormat.corrupt(file, WalFormat.HEADER, "the snapshot cannot be read (" + e.getMessage() + ")");
        }
    }

    /** Restores {@code n} keys; returns the live entries, in key order (sorted here if the file was not). */
    private static List<Entry> restoreKeys(BufferInput in, int n, SyncStore store) throws IOException {
        List<Entry> live = new ArrayList<>(n);
        boolean sorted = true;
        Key last = null;
        Owners owners = Owners.table();
        for (int i = 0; i < n; i++) {
            Entry e = store.restore(RecordCodec.readImage(in, owners));
            if (e != null && !e.isTombstone()) {
                sorted &= last == null || last.compareTo(e.key()) < 0;
                last = e.key();
                live.add(e);
            }
        }
        if (!sorted) {
            live.sort(Comparator.comparing(Entry::key));
        }
        return live;
    }

    /** Proofs read before the checksum is known to hold, handed on after. */
    private static final class ProofBuffer implements ProofJournal {
        private final List<java.util.function.Consumer<ProofJournal>> calls = new ArrayList<>();

        @Override
        public void proven(Key key, WriteStamp stamp, Write.Kind kind, byte[] leaf, byte[] proof) {
            calls.add(p -> p.proven(key, stamp, kind, leaf, proof));
        }

        @Override
        public void chained(Key key, WriteStamp baseStamp, List<Write> writes, List<byte[]> proofs) {
            calls.add(p -> p.chained(key, baseStamp, writes, proofs));
        }

        void replay(ProofJournal into) {
            calls.forEach(c -> c.accept(into));
        }
    }
}
