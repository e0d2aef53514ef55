package dev.jv2p.sync;

import dev.jv2p.mesh.LayerContext;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/** Calls from any thread into a node's event loop, and the futures that report back. */
final class LoopCalls {
    private LoopCalls() {}

    /** Runs {@code task} on {@code mesh}'s event loop (inline when already there) and waits for it. */
    static <T> T onLoop(LayerContext mesh, Supplier<T> task) {
        if (mesh.inEventLoop()) {
            return task.get();
        }
        CompletableFuture<T> f = new CompletableFuture<>();
        mesh.execute(() -> {
            try {
                f.complete(task.get());
            } catch (RuntimeException | Error e) { // an Error too: the caller must never wait forever
                f.completeExceptionally(e);
            }
        });
        return join(f);
    }

    /** Waits for {@code f}, throwing its failure as it was raised on the loop. */
    static <T> T join(CompletableFuture<T> f) {
        try {
            return f.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                r.addSuppressed(new Exception("called from here"));
                throw r;
            }
            throw e;
        }
    }

    /** Completes {@code outcome} normally, or with {@code refusal} when there is one. */
    static void complete(CompletableFuture<Void> outcome, RuntimeException refusal) {
        if (refusal == null) {
            outcome.complete(null);
        } else {
            outcome.completeExceptionally(refusal);
        }
    }
}
