package dev.jv2p.sync.internal.persist;

import dev.jv2p.sync.Key;
import dev.jv2p.sync.internal.Entry;
import dev.jv2p.sync.internal.ProofJournal;
import dev.jv2p.sync.internal.SyncStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The files of a data directory that hold the store: the newest snapshot {@code snapshot-<n>.snap}
 * (the state before segment {@code n}) and the log segments {@code wal-<n>.log} from {@code n}
 * on, numbered without gaps. Older files are left-overs of a snapshot that completed and are
 * deleted.
 */
final class WalFiles {
    private static final Logger LOG = LoggerFactory.getLogger(WalFiles.class);
    private static final Pattern SEGMENT = Pattern.compile("wal-(\\d{20})\\.log");
    private static final Pattern SNAPSHOT = Pattern.compile("snapshot-(\\d{20})\\.snap");

    private final Path dir;

    WalFiles(Path dir) {
        this.dir = dir;
    }

    Path segment(long n) {
        return dir.resolve(String.format("wal-%020d.log", n));
    }

    Path snapshot(long n) {
        return dir.resolve(String.format("snapshot-%020d.snap", n));
    }

    /** What a load found: the number of the segment to write next, and the live entries in key order. */
    /** What a load found: the next segment's number, the live entries, and the snapshot's size in bytes (0: none). */
    record Loaded(long nextSegment, List<Entry> live, long snapshotBytes) {}

    /** Restores the newest snapshot into {@code store} (and {@code proofs}) and replays the segments after it. */
    Loaded load(SyncStore store, ProofJournal proofs) {
        TreeMap<Long, Path> segments = list(SEGMENT);
        TreeMap<Long, Path> snapshots = list(SNAPSHOT);
        long from = snapshots.isEmpty() ? 0 : snapshots.lastKey();
        List<Entry> restored = snapshots.isEmpty()
                ? List.of()
                : Snapshots.read(snapshots.lastEntry().getValue(), store, proofs);
        long expected = -1;
        long records = 0;
        Set<Key> changed = new HashSet<>();
        for (var e : segments.tailMap(from, true).entrySet()) {
            if (expected >= 0 && e.getKey() != expected || expected < 0 && !snapshots.isEmpty() && e.getKey() != from) {
                throw WalFormat.corrupt(
                        e.getValue(), 0, "log segment " + (expected >= 0 ? expected : from) + " is missing before it");
            }
            records += LogReplay.replay(e.getValue(), e.getKey().equals(segments.lastKey()), store, proofs, changed);
            expected = e.getKey() + 1;
        }
        LOG.info(
                "data directory {}: {} keys and tombstones loaded ({} log records after the snapshot)",
                dir,
                store.size() + store.tombstones(),
                records);
        long next = Math.max(Math.max(from, 1), segments.isEmpty() ? 0 : segments.lastKey() + 1);
        deleteBefore(from);
        return new Loaded(
                next,
                LiveEntries.merge(restored, changed, store),
                snapshots.isEmpty() ? 0 : sizeOf(snapshots.lastEntry().getValue()));
    }

    /** The size of {@code file} in bytes; 0 if it cannot be read (it was read a moment before). */
    static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }

    /** Deletes the segments and snapshots older than segment {@code n}, and temporary files. */
    void deleteBefore(long n) {
        try {
            for (var e : list(SEGMENT).headMap(n).values()) {
                Files.deleteIfExists(e);
            }
            for (var e : list(SNAPSHOT).headMap(n).values()) {
                Files.deleteIfExists(e);
            }
            try (DirectoryStream<Path> tmp = Files.newDirectoryStream(dir, "*.tmp")) {
                for (Path p : tmp) {
                    Files.deleteIfExists(p);
                }
            }
        } catch (IOException e) {
            LOG.warn("cannot delete old files in {}: {}", dir, e.toString());
        }
    }

    /** Makes the directory's entries (new and renamed files) durable, where the platform allows. */
    void syncDirectory() {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // Windows cannot open a directory; its file system orders metadata itself
        }
    }

    private TreeMap<Long, Path> list(Pattern pattern) {
        TreeMap<Long, Path> out = new TreeMap<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path p : files) {
                Matcher m = pattern.matcher(p.getFileName().toString());
                if (m.matches()) {
                    out.put(Long.parseLong(m.group(1)), p);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
        return out;
    }
}
