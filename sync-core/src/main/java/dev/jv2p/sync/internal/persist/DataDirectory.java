package dev.jv2p.sync.internal.persist;

import dev.jv2p.sync.SyncException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * A node's data directory, held with an exclusive lock ({@value #LOCK}) for as long as the node
 * runs, so that two nodes never share one; and the node's id kept there ({@value #NODE_ID}).
 */
public final class DataDirectory implements AutoCloseable {
    static final String LOCK = "jv2p.lock";
    static final String SALT = "node-id.salt";
    static final String NODE_ID = "node-id";

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

    /** The file that keeps this node's id. */
    public Path nodeIdFile() {
        return path.resolve(NODE_ID);
    }

    /**
     * The node id kept here ({@value #NODE_ID}) as written, or {@code null} before the node's
     * first start; the mesh configuration checks it.
     */
    public String nodeId() {
        return read(NODE_ID);
    }

    /**
     * The id salt an earlier version kept here ({@value #SALT}), or {@code null}: a node that has
     * no kept id yet computes its first one with it, so at the same address it keeps the id it had.
     *
     * @throws SyncException if the file holds no usable salt
     */
    public String legacySalt() {
        String salt = read(SALT);
        if (salt != null && (salt.isEmpty() || salt.length() > 256)) {
            throw new SyncException(path.resolve(SALT) + " does not hold a node id salt; delete it to get a new id");
        }
        return salt;
    }

    /** Keeps {@code id} as this node's id ({@value #NODE_ID}), written whole or not at all. */
    public void keepNodeId(String id) {
        Path file = nodeIdFile();
        Path tmp = path.resolve(NODE_ID + ".tmp");
        try {
            try (FileChannel out = FileChannel.open(
                    tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
                ByteBuffer bytes = StandardCharsets.UTF_8.encode(id + "\n");
                while (bytes.hasRemaining()) {
                    out.write(bytes);
                }
                out.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
            new WalFiles(path).syncDirectory();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the node id in " + file, e);
        }
    }

    private String read(String name) {
        Path file = path.resolve(name);
        try {
            return Files.exists(file)
                    ? Files.readString(file, StandardCharsets.UTF_8).strip()
                    : null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the node id from " + file, e);
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
