package dev.jv2p.sync.internal.persist;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jv2p.sync.Durability;
import dev.jv2p.sync.Key;
import dev.jv2p.sync.SyncException;
import dev.jv2p.sync.internal.Entry;
import dev.jv2p.sync.internal.ProofJournal;
import dev.jv2p.sync.internal.StoreDigest;
import dev.jv2p.sync.internal.SyncStore;
import dev.jv2p.sync.internal.SyncStoreConfig;
import dev.jv2p.sync.internal.Write;
import dev.jv2p.sync.internal.WriteStamp;
import dev.jv2p.sync.net.LogCapture;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The write-ahead log on real files: what a restarted node finds, and what it says about bad files. */
class WalEngineTest {
    private static final long T = 1_700_000_000L;

    @TempDir
    Path dir;

    private static SyncStore newStore() {
        return new SyncStore(SyncStoreConfig.builder().build());
    }

    private WalEngine open(SyncStore store) {
        WalEngine engine =
                new WalEngine(DataDirectory.open(dir), Durability.GROUP_COMMIT, WalEngine.DEFAULT_SNAPSHOT_BYTES);
        engine.load(store, ProofJournal.NONE, out -> {});
        return engine;
    }

    /** Sets, deletes, deltas and nested values from two owners, a collection and a graveyard merge. */
    private static void writeMany(SyncStore store) {
        for (int i = 0; i < 200; i++) {
            Key k = Key.of("k" + i);
            store.apply(
                    Write.set(
                            k, List.of("v", (long) i, 1.5, Map.of("m", new byte[] {1, 2})), new WriteStamp(T, "me", 0)),
                    T);
            if (i % 3 == 0) {
                store.apply(Write.delete(k, new WriteStamp(T + 1, "me", 0)), T + 1);
            }
        }
        Key d = Key.of("delta");
        for (int i = 0; i < 10; i++) {
            store.apply(Write.delta(d, Map.of("f" + i, (long) i), new WriteStamp(T + 2, "peer", i)), T + 2);
        }
        store.apply(Write.set(Key.of("\ud800 unpaired"), "\udc00", new WriteStamp(T + 3, "peer", 0)), T + 3);
        // one byte per character, and a string that looks so until its last character
        store.apply(Write.set(Key.of("latin-1"), "caf\u00e9 \u00ff", new WriteStamp(T + 3, "peer", 0)), T + 3);
        store.apply(Write.set(Key.of("not quite"), "caf\u00e9 \u20ac", new WriteStamp(T + 3, "peer", 0)), T + 3);
        long[] watermarks = new long[SyncStore.GRAVEYARD_SLOTS];
        java.util.Arrays.fill(watermarks, -1);
        watermarks[7] = T - 100_000;
        store.mergeGraveyard(watermarks, T + 4);
        store.collectGarbage(T + 5);
    }

    private static void assertSameState(SyncStore expected, SyncStore actual) {
        assertEquals(new ArrayList<>(expected.histories()), new ArrayList<>(actual.histories()));
        assertArrayEquals(expected.graveyardState()[0], actual.graveyardState()[0]);
        assertArrayEquals(expected.graveyardState()[1], actual.graveyardState()[1]);
        assertEquals(expected.size(), actual.size());
        assertEquals(expected.tombstones(), actual.tombstones());
        assertEquals(expected.bucketDigest(), actual.bucketDigest());
        assertEquals(expected.digest(), actual.digest());
        Set<Integer> all = IntStream.range(0, StoreDigest.BUCKETS).boxed().collect(Collectors.toSet());
        assertEquals(expected.summariesIn(all), actual.summariesIn(all));
    }

    @Test
    void aRestoredStoreDigestsWithTheKeptHashesAsOneThatHashedEveryWrite() {
        SyncStore before = newStore();
        WalEngine engine = open(before);
        writeMany(before);
        engine.close(before); // everything in the snapshot, with each key's hashes

        SyncStore after = newStore();
        open(after).close();
        SyncStore hashed = newStore(); // every entry hash computed as its writes were applied
        writeMany(hashed);
        assertSameState(hashed, after);
    }

    @Test
    void aLoadHandsTheLiveEntriesInKeyOrderWithTheLogsChangesAfterTheSnapshot() {
        SyncStore before = newStore();
        WalEngine engine = open(before);
        writeMany(before);
        engine.snapshot(before);
        before.apply(Write.delete(Key.of("k1"), new WriteStamp(T + 6, "me", 0)), T + 6);
        before.apply(Write.set(Key.of("k2"), "changed", new WriteStamp(T + 6, "me", 0)), T + 6);
        before.apply(Write.set(Key.of("a new first key"), "new", new WriteStamp(T + 6, "me", 0)), T + 6);
        before.apply(Write.set(Key.of("zz new last key"), "new", new WriteStamp(T + 6, "me", 0)), T + 6);
        before.apply(Write.set(Key.of("k3"), "back from a delete", new WriteStamp(T + 6, "me", 0)), T + 6);
        engine.close(); // no snapshot: the changes are in the log only

        SyncStore after = newStore();
        WalEngine reopened =
                new WalEngine(DataDirectory.open(dir), Durability.GROUP_COMMIT, WalEngine.DEFAULT_SNAPSHOT_BYTES);
        List<Entry> live = reopened.load(after, ProofJournal.NONE, out -> {});
        reopened.close();
        assertEquals(before.entries(), live);
        assertEquals(after.entries(), live);
    }

    @Test
    void aRestartFromTheLogAloneRebuildsEveryKeyAndHistory() {
        SyncStore before = newStore();
        WalEngine engine = open(before);
        writeMany(before);
        engine.close(); // no snapshot: everything comes from the log

        SyncStore after = newStore();
        open(after).close();
        assertSameState(before, after);
    }

    @Test
    void aRestartFromASnapshotAndTheLogAfterItRebuildsEveryKeyAndHistory() {
        SyncStore before = newStore();
        WalEngine engine = open(before);
        writeMany(before);
        engine.snapshot(before);
        before.apply(Write.set(Key.of("after"), "snapshot", new WriteStamp(T + 6, "me", 0)), T + 6);
        engine.close();

        SyncStore after = newStore();
        WalEngine reopened = open(after);
        assertSameState(before, after);
        reopened.close(after); // a clean close leaves a snapshot
        SyncStore third = newStore();
        open(third).close();
        assertSameState(before, third);
    }

    @Test
    void theLogGrowsAsMuchAsTheLastSnapshotBeforeTheNextOne() throws IOException {
        SyncStore store = newStore();
        WalEngine engine = new WalEngine(DataDirectory.open(dir), Durability.GROUP_COMMIT, 1024);
        engine.load(store, ProofJournal.NONE, out -> {});
        writeMany(store);
        engine.flush();
        assertTrue(engine.wantsSnapshot(), "past the 1 KiB threshold");
        engine.snapshot(store);
        org.awaitility.Awaitility.await().until(() -> !engine.isSnapshotting());
        long snapshot = Files.size(dir.resolve(String.format("snapshot-%020d.snap", 2)));
        assertTrue(snapshot > 4 * 1024, "a snapshot of the many writes: " + snapshot + " bytes");

        int i = 0;
        while (Files.size(dir.resolve(String.format("wal-%020d.log", 2))) < 2 * 1024) {
            store.apply(Write.set(Key.of("after" + i), "v" + i, new WriteStamp(T + 5, "me", i)), T + 5);
            engine.flush();
            i++;
        }
        assertFalse(engine.wantsSnapshot(), "a log of 2 KiB after a snapshot of " + snapshot + " bytes");
        while (Files.size(dir.resolve(String.format("wal-%020d.log", 2))) < snapshot) {
            store.apply(Write.set(Key.of("after" + i), "v" + i, new WriteStamp(T + 5, "me", i)), T + 5);
            engine.flush();
            i++;
        }
        assertTrue(engine.wantsSnapshot(), "the log has grown as much as the snapshot");
        engine.close();
    }

    @Test
    void aSnapshotHoldsTheStoreAsItWasWhenItStartedWhileWritesGoOn() {
        SyncStore store = newStore();
        WalEngine engine = open(store);
        writeMany(store);
        SyncStore atSnapshot = newStore();
        writeMany(atSnapshot);

        engine.snapshot(store); // returns once the store is copied; another thread writes the file
        store.apply(Write.set(Key.of("k1"), "later", new WriteStamp(T + 9, "me", 0)), T + 9);
        store.apply(Write.set(Key.of("new"), "later", new WriteStamp(T + 9, "me", 0)), T + 9);
        engine.close(); // waits for the snapshot

        SyncStore fromSnapshot = newStore();
        Snapshots.read(dir.resolve(String.format("snapshot-%020d.snap", 2)), fromSnapshot, ProofJournal.NONE);
        assertSameState(atSnapshot, fromSnapshot);
        assertEquals(List.of(dir.resolve(String.format("wal-%020d.log", 2))), segments(), "older segments deleted");
        SyncStore restarted = newStore();
        open(restarted).close();
        assertSameState(store, restarted);
    }

    @Test
    void aTornLastRecordIsCutOffAndTheRestKept() throws IOException {
        SyncStore before = newStore();
        Path last = loggedSegment(before);
        long good = Files.size(last);
        try (FileChannel ch = FileChannel.open(last, StandardOpenOption.APPEND)) {
            ch.write(ByteBuffer.allocate(9)
                    .putInt(500)
                    .putInt(42)
                    .put((byte) 1)
                    .flip()); // a frame promising 500 bytes, 1 there
        }

        SyncStore after = newStore();
        try (LogCapture log = new LogCapture()) {
            open(after).close();
            assertEquals(
                    List.of("a record cut short at the end of " + last + " (offset " + good
                            + ", 9 bytes) removed: the node stopped while writing it, before it was acknowledged"),
                    log.warnings().stream()
                            .map(l -> l.substring(l.indexOf(" - ") + 3))
                            .toList());
        }
        assertSameState(before, after);
        assertEquals(good, Files.size(last), "the torn record is cut off the file");
    }

    @Test
    void aRecordCutShortInAnOlderSegmentIsCorruptionNotATornTail() throws IOException {
        SyncStore store = newStore();
        Path older = loggedSegment(store);
        WalEngine second = open(store); // a new segment after the older one; no snapshot taken
        store.apply(Write.set(Key.of("later"), "v", new WriteStamp(T + 9, "me", 0)), T + 9);
        second.close();
        long size = Files.size(older);
        try (FileChannel ch = FileChannel.open(older, StandardOpenOption.WRITE)) {
            ch.truncate(size - 3);
        }

        SyncException e = assertThrows(SyncException.class, () -> open(newStore()));
        assertOneLineNaming(older, e);
        assertTrue(e.getMessage().contains("runs past the end of the file"), e.getMessage());
        assertEquals(size - 3, Files.size(older), "nothing cut off an older segment");
    }

    @Test
    void aDamagedSnapshotStopsTheNodeNamingIt() throws IOException {
        SyncStore store = newStore();
        WalEngine engine = open(store);
        writeMany(store);
        engine.close(store);
        Path snapshot;
        try (Stream<Path> files = Files.list(dir)) {
            snapshot = files.filter(p -> p.getFileName().toString().endsWith(".snap"))
                    .findFirst()
                    .orElseThrow();
        }
        flipByte(snapshot, Files.size(snapshot) / 2);

        SyncException e = assertThrows(SyncException.class, () -> open(newStore()));
        assertOneLineNaming(snapshot, e);
    }

    /** The error of a bad file: one line, naming the file and an offset, and the way out. */
    private static void assertOneLineNaming(Path file, SyncException e) {
        String m = e.getMessage();
        assertTrue(m.startsWith("corrupt data file " + file + " at offset "), m);
        assertFalse(m.contains("\n"), "one line: " + m);
        assertTrue(
                m.endsWith("; to start anyway, move the data directory aside and start with an empty one (the node"
                        + " fetches the dictionary from its peers), or see \"Durability\" in docs/GUIDE.md for a"
                        + " repair"),
                m);
    }

    private static void flipByte(Path file, long at) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocate(1);
            ch.read(b, at);
            ch.write(ByteBuffer.wrap(new byte[] {(byte) (b.get(0) ^ 0x10)}), at);
        }
    }

    @Test
    void aFlippedByteInsideTheLogStopsTheNodeNamingFileAndOffset() throws IOException {
        Path last = loggedSegment(newStore());
        long size = Files.size(last);
        flipByte(last, WalFormat.HEADER + WalFormat.FRAME + 10); // in the first record: hundreds follow it

        SyncException e = assertThrows(SyncException.class, () -> open(newStore()));
        assertTrue(e.getMessage().startsWith("corrupt data file " + last + " at offset 12: "), e.getMessage());
        assertOneLineNaming(last, e);
        assertEquals(size, Files.size(last), "a corrupt file is left as it is");
        DataDirectory.open(dir).close(); // the failed start released the directory
    }

    @Test
    void aDamagedLengthThatPointsPastTheEndIsCorruptionNotATornTail() throws IOException {
        Path last = loggedSegment(newStore());
        long size = Files.size(last);
        try (FileChannel ch = FileChannel.open(last, StandardOpenOption.WRITE)) {
            ch.write(
                    ByteBuffer.allocate(4).putInt(0, (int) size).rewind(),
                    WalFormat.HEADER); // the first record's length
        }

        SyncException e = assertThrows(SyncException.class, () -> open(newStore()));
        assertTrue(e.getMessage().startsWith("corrupt data file " + last + " at offset 12: "), e.getMessage());
        assertEquals(size, Files.size(last), "nothing cut off");
    }

    @Test
    void aFileOfAnUnknownFormatVersionIsRefusedByName() throws IOException {
        Files.createDirectories(dir);
        Path future = dir.resolve(String.format("wal-%020d.log", 1));
        Files.write(
                future,
                ByteBuffer.allocate(12).put(WalFormat.LOG_MAGIC).putInt(99).array());

        SyncException e = assertThrows(SyncException.class, () -> open(newStore()));
        assertTrue(
                e.getMessage().startsWith(future + " is in on-disk format version 99; this jv2p reads version 2"),
                e.getMessage());
    }

    @Test
    void aSnapshotOfTheFormatBeforeThisOneIsRefusedByName() throws IOException {
        Path older = dir.resolve(String.format("snapshot-%020d.snap", 2));
        Files.write(
                older,
                ByteBuffer.allocate(40).put(WalFormat.SNAPSHOT_MAGIC).putInt(1).array());

        SyncException e = assertThrows(SyncException.class, () -> open(newStore()));
        assertEquals(
                older + " is in on-disk format version 1; this jv2p reads version 2: start the jv2p version that"
                        + " wrote it, or to start anyway, move the data directory aside and start with an empty one"
                        + " (the node fetches the dictionary from its peers), or see \"Durability\" in"
                        + " docs/GUIDE.md for a repair",
                e.getMessage());
    }

    @Test
    void aSecondNodeCannotTakeADirectoryInUse() {
        try (DataDirectory first = DataDirectory.open(dir)) {
            SyncException e = assertThrows(SyncException.class, () -> DataDirectory.open(dir));
            assertEquals(
                    "data directory " + dir + " is in use by another jv2p node (it holds " + dir.resolve("jv2p.lock")
                            + "); give each node its own directory",
                    e.getMessage());
        }
        DataDirectory.open(dir).close(); // free again once the first let go
    }

    @Test
    void theNodeIdIsKeptInTheDirectoryAndAnEarlierSaltIsRead() throws IOException {
        try (DataDirectory d = DataDirectory.open(dir)) {
            assertNull(d.nodeId(), "no id before the first start");
            assertNull(d.legacySalt());
            d.keepNodeId("7XfGtfHnKev92xQG");
        }
        try (DataDirectory d = DataDirectory.open(dir)) {
            assertEquals("7XfGtfHnKev92xQG", d.nodeId());
            assertEquals(dir.resolve("node-id"), d.nodeIdFile());
            assertFalse(Files.exists(dir.resolve("node-id.tmp")), "the id is moved into place");
            Files.writeString(dir.resolve(DataDirectory.SALT), "pepper\n");
            assertEquals("pepper", d.legacySalt());
            Files.writeString(dir.resolve(DataDirectory.SALT), "\n");
            SyncException e = assertThrows(SyncException.class, d::legacySalt);
            assertTrue(e.getMessage().startsWith(dir.resolve(DataDirectory.SALT) + " does not hold"), e.getMessage());
        }
    }

    /** Collects proofs as text, to compare what went in with what came back. */
    private static final class Proofs implements ProofJournal {
        final List<String> seen = new ArrayList<>();
        private final List<Runnable> calls = new ArrayList<>();
        private ProofJournal target;

        /** Hands what was recorded here to {@code out}, as a node hands what it holds to a snapshot. */
        void replayTo(ProofJournal out) {
            target = out;
            calls.forEach(Runnable::run);
        }

        @Override
        public void proven(Key key, WriteStamp stamp, Write.Kind kind, byte[] leaf, byte[] proof) {
            calls.add(() -> target.proven(key, stamp, kind, leaf, proof));
            seen.add(key + " " + stamp + " " + kind + " " + java.util.Arrays.toString(leaf)
                    + java.util.Arrays.toString(proof));
        }

        @Override
        public void chained(Key key, WriteStamp baseStamp, List<Write> writes, List<byte[]> proofs) {
            calls.add(() -> target.chained(key, baseStamp, writes, proofs));
            seen.add(key + " " + baseStamp + " " + writes + " "
                    + proofs.stream().map(java.util.Arrays::toString).toList());
        }
    }

    @Test
    void ownersProofsComeBackFromTheLogAndFromASnapshot() {
        Proofs recorded = new Proofs();
        SyncStore store = newStore();
        WalEngine engine = new WalEngine(DataDirectory.open(dir), Durability.OS, WalEngine.DEFAULT_SNAPSHOT_BYTES);
        engine.load(store, ProofJournal.NONE, recorded::replayTo);
        Key k = Key.of("m");
        WriteStamp s1 = new WriteStamp(T, "owner", 0);
        Write delta = Write.delta(k, Map.of("x", 1L), new WriteStamp(T, "owner", 1));
        for (ProofJournal j : List.of(engine.proofJournal(), recorded)) {
            j.proven(k, s1, Write.Kind.SET, new byte[] {1, 2}, new byte[] {3});
            j.chained(k, delta.stamp(), List.of(delta), List.of(new byte[] {4, 5}));
        }
        engine.close(); // from the log

        Proofs fromLog = new Proofs();
        WalEngine again = new WalEngine(DataDirectory.open(dir), Durability.OS, WalEngine.DEFAULT_SNAPSHOT_BYTES);
        again.load(newStore(), fromLog, recorded::replayTo);
        assertEquals(recorded.seen, fromLog.seen);
        again.close(newStore()); // a snapshot, made from what the node holds

        Proofs fromSnapshot = new Proofs();
        WalEngine third = new WalEngine(DataDirectory.open(dir), Durability.OS, WalEngine.DEFAULT_SNAPSHOT_BYTES);
        third.load(newStore(), fromSnapshot, out -> {});
        third.close();
        assertEquals(recorded.seen, fromSnapshot.seen);
    }

    /** Writes {@link #writeMany} into a fresh directory's log and returns its one segment. */
    private Path loggedSegment(SyncStore store) {
        WalEngine engine = open(store);
        writeMany(store);
        engine.close();
        return segments().get(0);
    }

    private List<Path> segments() {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().startsWith("wal-"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
