package dev.jv2p.sync.internal.persist;

import dev.jv2p.sync.SyncException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.UUID;

/**
 * A node's data directory, held with an exclusive lock ({@value #LOCK}) for as long as the node
 * runs, so that two nodes never share one; and the node's identity kept there ({@value #SALT}).
 */
public final class DataDirectory implements AutoCloseable {
    static final String LOCK = "jv2p.lock";
    static final String SALT = "node-id.salt";

    private final Path path;
    private final FileChannel lockChannel;
    private final FileLock lock;

    private DataDirectory(Path path, FileChannel lockChannel, FileLock lock) {
        this.path = path;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /**
     * Creates the directory if needed and locks it.
     *
     * @throws SyncException if another node holds it, or it cannot be created or locked
     */
    public static DataDirectory open(Path path) {
        FileChannel channel = null;
        try {
            Files.createDirectories(path);
            channel = FileChannel.open(path.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null; // held by this very process
            }
            if (lock == null) {
                throw new SyncException("data directory " + path + " is in use by another jv2p node (it holds "
                        + path.resolve(LOCK) + "); give each node its own directory");
            }
            return new DataDirectory(path, channel, lock);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new SyncException("cannot open data directory " + path + ": " + e, e);
        } catch (RuntimeException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    public Path path() {
        return path;
    }

    /**
     * The salt of this node's id, created on first use: with it a node keeps its id (and so its
     * leases) across restarts at the same address.
     */
    public String salt() {
        Path file = path.resolve(SALT);
        try {
            if (Files.exists(file)) {
                String salt = Files.readString(file, StandardCharsets.UTF_8).strip();
                if (salt.isEmpty() || salt.length() > 256) {
                    throw new SyncException(file + " does not hold a node id salt; delete it to get a new id");
                }
                return salt;
            }
            String salt = UUID.randomUUID().toString();
            Path tmp = path.resolve(SALT + ".tmp");
            Files.writeString(tmp, salt + "\n", StandardCharsets.UTF_8);
            Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            return salt;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the node id in " + file, e);
        }
    }

    /** Releases the lock. */
    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException e) {
            // the channel's close below releases it too
        }
        closeQuietly(lockChannel);
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // nothing more to release
            }
        }
    }
}
