package dev.jv2p.sync;

import dev.jv2p.mesh.LayerContext;
import dev.jv2p.mesh.MeshConfig;
import dev.jv2p.mesh.MeshSocket;
import dev.jv2p.sync.internal.Entry;
import dev.jv2p.sync.internal.ProofJournal;
import dev.jv2p.sync.internal.SyncStore;
import dev.jv2p.sync.internal.persist.DataDirectory;
import dev.jv2p.sync.internal.persist.LogUnwritableException;
import dev.jv2p.sync.internal.persist.StoreEngine;
import dev.jv2p.sync.internal.persist.WalEngine;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's data directory wired into the node ({@link SyncConfig#dataDirectory()}): its id
 * for the mesh, the store loaded before the node serves anyone, acknowledgements that wait
 * for the disk in {@link Durability#ALWAYS}, snapshots started on the event loop (and written by
 * a thread of their own) when the log has grown, and the last snapshot when the node closes. While the log cannot be written (a full
 * disk) every change is refused and the write is tried again every second. Without a directory
 * it does nothing.
 */
final class DurableStore {
    private static final Logger LOG = LoggerFactory.getLogger(DurableStore.class);
    /** How often the event loop checks whether the log has grown enough for a snapshot. */
    private static final Duration SNAPSHOT_CHECK = Duration.ofSeconds(1);

    private final DataDirectory directory;
    private final StoreEngine engine;
    private SyncStore store;
    private LayerContext layer;
    private ScheduledFuture<?> snapshots;
    /** Writes applied whose acknowledgement waits for their records to be written. */
    private List<CompletableFuture<Void>> acks = new ArrayList<>();

    private boolean flushScheduled;
    /** Whether the mesh computed a first id that {@link #load} keeps in the directory. */
    private boolean keepId;

    private DurableStore(DataDirectory directory, StoreEngine engine) {
        this.directory = directory;
        this.engine = engine;
    }

    /** Locks the configured data directory, if there is one. */
    static DurableStore open(SyncConfig config) {
        if (config.dataDirectory() == null) {
            return new DurableStore(null, null);
        }
        DataDirectory dir = DataDirectory.open(config.dataDirectory());
        return new DurableStore(dir, new WalEngine(dir, config.durability(), WalEngine.DEFAULT_SNAPSHOT_BYTES));
    }

    /**
     * Starts the node's mesh: with the id kept in the data directory, unless {@code mesh} sets
     * its own id or salt; a plaintext node's first id is kept in {@link #load}. The directory is
     * released if the mesh cannot start.
     */
    MeshSocket startMesh(MeshConfig mesh) {
        if (directory == null) {
            return MeshSocket.start(mesh);
        }
        try {
            boolean own = mesh.salt() != null || mesh.nodeId() != null;
            return MeshSocket.start(own ? mesh : withKeptId(mesh));
        } catch (RuntimeException e) {
            directory.close();
            throw e;
        }
    }

    private MeshConfig withKeptId(MeshConfig mesh) {
        String kept = directory.nodeId();
        if (kept == null) {
            keepId = true;
            String salt = directory.legacySalt();
            return salt == null ? mesh : mesh.toBuilder().salt(salt).build();
        }
        try {
            return mesh.toBuilder().nodeId(kept).build();
        } catch (IllegalArgumentException e) {
            throw new SyncException(
                    directory.nodeIdFile() + " does not hold a node id (" + e.getMessage() + "); delete it to start"
                            + " with a new id, which gives up the leases of the old one",
                    e);
        }
    }

    /**
     * Loads what the directory holds into {@code store} and {@code view}, before the node
     * handles any message, with the owners' proofs ({@code null} where owners are not
     * authenticated); if that fails, the node is closed and the error thrown.
     */
    void load(SyncStore store, ReadView view, MeshSocket mesh, DurableProofs proofs) {
        if (engine == null) {
            return;
        }
        this.store = store;
        this.layer = mesh.layerContext();
        try {
            if (keepId && mesh.identity().isEmpty()) {
                directory.keepNodeId(mesh.id());
            }
            List<Entry> live = engine.load(store, proofs == null ? ProofJournal.NONE : proofs, out -> {
                if (proofs != null) {
                    proofs.forEach(out);
                }
            });
            if (proofs != null) {
                proofs.recordTo(engine.proofJournal());
                int signed = proofs.proveOwnWrites(store);
                if (signed > 0) {
                    engine.flush();
                    LOG.info(
                            "{}: signed {} of its own writes that were on disk without their proof (the node stopped"
                                    + " before their batch was signed)",
                            directory.path(),
                            signed);
                }
            }
            engine.onPending(this::flushSoon);
            view.fill(live);
        } catch (RuntimeException e) {
            engine.close();
            mesh.close();
            throw e;
        }
        snapshots = layer.scheduleAtFixedRate(this::upkeep, SNAPSHOT_CHECK);
    }

    /**
     * Every second on the loop: tries again to write the log while it cannot be written, and
     * takes a snapshot when the log has grown. Never throws: a failure would end the schedule.
     */
    private void upkeep() {
        if (engine.unwritable() != null) {
            try {
                engine.flush();
            } catch (LogUnwritableException e) {
                return; // still unwritable: logged when it started
            }
        }
        if (engine.wantsSnapshot()) {
            try {
                engine.snapshot(store);
            } catch (RuntimeException e) {
                LOG.warn("cannot take a snapshot; the log goes on growing until one succeeds: {}", e.getMessage());
            }
        }
    }

    /**
     * Refuses a write made off the loop while the log cannot be written, before it is queued, so
     * the caller sees the failure; on the loop the log itself refuses the change.
     *
     * @throws LogUnwritableException while the log cannot be written
     */
    void refuseWhileUnwritable() {
        LogUnwritableException failure = engine == null ? null : engine.unwritable();
        if (failure != null) {
            throw failure.again();
        }
    }

    /** Whether a write is acknowledged only once on disk, so the synchronous write forms wait. */
    boolean waitsForDisk() {
        return engine != null && engine.waitsForDisk();
    }

    /**
     * Checks that a synchronous write may wait for the disk here: never on the event loop.
     *
     * @throws IllegalStateException on the event loop in {@link Durability#ALWAYS}
     */
    void requireOffLoop() {
        if (layer.inEventLoop()) {
            throw new IllegalStateException("with durability ALWAYS a write waits for the disk, which the event loop"
                    + " must not: use the async form (setAsync, delAsync, updateAsync, applyDeltaAsync) there");
        }
    }

    /**
     * Completes a write's future when it is acknowledged: once its record is written to the
     * log (and, in {@link Durability#ALWAYS}, on disk). The records of the writes the loop
     * runs in one go are written together, by a task queued behind them.
     */
    void complete(CompletableFuture<Void> outcome, RuntimeException refusal) {
        acknowledge(outcome, refusal, false);
    }

    /** {@link #complete}, writing the log at once: for a caller on the loop that waits for the outcome. */
    void completeNow(CompletableFuture<Void> outcome, RuntimeException refusal) {
        acknowledge(outcome, refusal, true);
    }

    private void acknowledge(CompletableFuture<Void> outcome, RuntimeException refusal, boolean now) {
        if (engine == null || refusal != null) {
            LoopCalls.complete(outcome, refusal);
            return;
        }
        acks.add(outcome);
        if (now) {
            flushAndAcknowledge();
        } else {
            flushSoon();
        }
    }

    /** Writes the log at once: a synchronous write on the loop returns acknowledged. */
    void flushNow() {
        if (engine != null) {
            engine.flush();
        }
    }

    /** Queues the flush behind the rest of this loop turn ({@code execute} would run it at once, one record a write). */
    private void flushSoon() {
        if (!flushScheduled) {
            flushScheduled = true;
            layer.executeLater(this::flushAndAcknowledge);
        }
    }

    private void flushAndAcknowledge() {
        flushScheduled = false;
        List<CompletableFuture<Void>> done = acks;
        acks = new ArrayList<>();
        try {
            engine.flush();
        } catch (RuntimeException e) {
            done.forEach(f -> f.completeExceptionally(e));
            return;
        }
        if (done.isEmpty()) {
            return;
        }
        Runnable acknowledge = () -> done.forEach(f -> f.complete(null));
        if (engine.waitsForDisk()) {
            engine.whenDurable(() -> layer.execute(acknowledge));
        } else {
            acknowledge.run();
        }
    }

    /** Takes the last snapshot and releases the directory; on or off the event loop. */
    void close() {
        if (engine == null) {
            return;
        }
        snapshots.cancel(false);
        LoopCalls.onLoop(layer, () -> {
            engine.close(store);
            return null;
        });
    }
}
