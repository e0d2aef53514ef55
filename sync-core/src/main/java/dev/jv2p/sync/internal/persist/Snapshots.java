package dev.jv2p.sync.internal.persist;

import dev.jv2p.sync.Key;
import dev.jv2p.sync.internal.KeyHistory;
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
import java.util.List;
import java.util.function.Consumer;

/**
 * A snapshot file: the header, then the body (the graveyard's two watermark arrays, the number
 * of keys and each key's history), then a trailer of the body's length (a long) and its CRC32C.
 * Written to a temporary file, forced to disk and renamed, so a snapshot file is whole or absent.
 */
final class Snapshots {
    private static final int TRAILER = 12;

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
        private final List<KeyHistory> histories;
        private final ProofBuffer proofs = new ProofBuffer();

        private State(SyncStore store, Consumer<ProofJournal> heldProofs) {
            this.graveyard = store.graveyardState();
            this.histories = new ArrayList<>(store.histories());
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
        List<KeyHistory> histories = state.histories;
        try (FileChannel ch = FileChannel.open(
                tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            ch.write(WalFormat.header(WalFormat.SNAPSHOT_MAGIC));
            BufferOutput out = new BufferOutput(ch);
            long[][] graveyard = state.graveyard;
            RecordCodec.writeLongs(out, graveyard[0]);
            RecordCodec.writeLongs(out, graveyard[1]);
            out.writeInt(histories.size());
            for (KeyHistory h : histories) {
                RecordCodec.writeHistory(out, h);
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

    /** Reads {@code file} and restores it into the empty {@code store}, its proofs into {@code proofs}. */
    static void read(Path file, SyncStore store, ProofJournal proofs) {
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
            List<KeyHistory> histories = new ArrayList<>(Math.max(0, Math.min(n, 1 << 20)));
            for (int i = 0; i < n; i++) {
                histories.add(RecordCodec.readHistory(in));
            }
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
            store.restore(graveyard, histories);
            held.replay(proofs);
        } catch (IOException | IllegalArgumentException e) {
            throw WalFormat.corrupt(file, WalFormat.HEADER, "the snapshot cannot be read (" + e.getMessage() + ")");
        }
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
