package dev.jv2p.sync.soak;

import dev.jv2p.sync.Key;
import dev.jv2p.sync.LeaseConflictException;
import dev.jv2p.sync.MetaTuple;
import dev.jv2p.sync.SyncSocket;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One node's random writer, run in ticks by a scheduler (one tick at a time). Keys
 * {@code k000}–{@code k599} hold scalars, {@code k600}–{@code k989} maps (set whole or changed
 * by deltas), {@code k990}–{@code k994} are hot scalars (bursts of sets within a second) and
 * {@code k995}–{@code k999} hot maps (bursts of deltas). Sets are made from this thread, as a
 * user calls them; deletes and deltas run on the node's loop, where the writer can tell whether
 * a delete found a value to delete (without one it makes no write). Every write is recorded in
 * the {@link WriteModel} with the stamp the node gave it, unless the call threw
 * {@link LeaseConflictException}: with leasing off that happens when a write of a smaller owner
 * id in the same second holds the key, and the write is not made. A set queued for the loop
 * may still be refused there for the same reason (logged, not thrown); it is recorded, and the
 * model refuses it too, since the write that refused it precedes it in the merge order.
 */
final class SoakWriter {
    static final int KEYS = 1000;
    private static final int SCALARS = 600;
    private static final int HOT = 990;
    private static final int HOT_MAPS = 995;

    private final SyncSocket node;
    private final String owner;
    private final Random rng;
    private final StampClock clock;
    private final WriteModel model;
    private long order;

    SoakWriter(SyncSocket node, long seed, StampClock clock, WriteModel model) {
        this.node = node;
        this.owner = node.id();
        this.rng = new Random(seed);
        this.clock = clock;
        this.model = model;
    }

    static Key key(int i) {
        return Key.of(String.format("k%03d", i));
    }

    /** One random operation, sometimes a burst on a hot key. */
    void tick() {
        int r = rng.nextInt(100);
        if (r < 50) {
            int k = rng.nextInt(SCALARS);
            set(key(k), rng.nextBoolean() ? (Object) ("v" + owner.substring(0, 4) + "-" + order) : (Object) order);
        } else if (r < 62) {
            set(key(SCALARS + rng.nextInt(HOT - SCALARS)), Map.of("f" + rng.nextInt(8), order));
        } else if (r < 80) {
            Key k = key(SCALARS + rng.nextInt(HOT - SCALARS));
            onLoop(n -> delta(k, Map.of("f" + rng.nextInt(8), order)));
        } else if (r < 96) {
            Key k = key(rng.nextInt(HOT));
            onLoop(n -> delete(k));
        } else if (r < 98) {
            Key k = key(HOT + rng.nextInt(HOT_MAPS - HOT));
            int burst = 50 + rng.nextInt(150);
            for (int i = 0; i < burst; i++) {
                set(k, order);
            }
        } else {
            Key k = key(HOT_MAPS + rng.nextInt(KEYS - HOT_MAPS));
            int burst = 20 + rng.nextInt(80);
            onLoop(n -> {
                for (int i = 0; i < burst; i++) {
                    delta(k, Map.of("f" + rng.nextInt(32), order));
                }
            });
        }
    }

    private void set(Key k, Object v) {
        clock.reset();
        try {
            node.set(k, v);
        } catch (LeaseConflictException refused) {
            return; // a same-second write of a smaller owner id holds the key: no write made
        }
        model.record(k, WriteModel.Kind.SET, v, clock.firstSecond(), owner, order++);
    }

    private void delta(Key k, Map<String, Object> d) {
        clock.reset();
        node.applyDelta(k, d);
        long second = clock.firstSecond();
        checkStamp(k, second);
        model.record(k, WriteModel.Kind.DELTA, d, second, owner, order++);
    }

    private void delete(Key k) {
        if (node.get(k) == null) {
            return; // del() makes no write for a key without a value
        }
        clock.reset();
        try {
            node.del(k);
        } catch (LeaseConflictException refused) {
            return;
        }
        model.record(k, WriteModel.Kind.DELETE, null, clock.firstSecond(), owner, order++);
    }

    /** On the loop the write has just been applied: if it holds the key, it has the second read. */
    private void checkStamp(Key k, long second) {
        Optional<MetaTuple> meta = node.meta(k);
        if (meta.isPresent() && meta.get().owner().equals(owner) && meta.get().timestamp() != second) {
            throw new IllegalStateException("the soak read second " + second + " for a write of " + k
                    + " that the node stamped " + meta.get().timestamp());
        }
    }

    /** Runs {@code work} on the node's event loop and waits for it. */
    private void onLoop(Consumer<SyncSocket> work) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        node.mesh().layerContext().execute(() -> {
            try {
                work.accept(node);
                done.complete(null);
            } catch (RuntimeException | Error e) {
                done.completeExceptionally(e);
            }
        });
        done.orTimeout(30, TimeUnit.SECONDS).join();
    }
}
