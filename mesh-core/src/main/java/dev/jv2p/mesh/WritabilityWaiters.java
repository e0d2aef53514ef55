package dev.jv2p.mesh;

import io.netty.channel.Channel;
import java.util.ArrayList;
import java.util.List;

/**
 * Tasks of one connection waiting for its outbound queue to drain below Netty's low water mark
 * ({@link PeerLink#whenWritable}); each runs once, on the channel's event loop.
 */
final class WritabilityWaiters {
    private final Channel channel;
    private final List<Runnable> waiting = new ArrayList<>();

    WritabilityWaiters(Channel channel) {
        this.channel = channel;
    }

    /** Runs {@code task} on the loop now if the channel is writable, else once it is; never if it closes first. */
    void add(Runnable task) {
        channel.eventLoop().execute(() -> {
            if (!channel.isOpen()) {
                return;
            }
            if (channel.isWritable()) {
                task.run();
            } else {
                waiting.add(task);
            }
        });
    }

    /** Runs the waiting tasks if the channel is writable again. */
    void onWritabilityChanged() {
        if (!channel.isWritable() || waiting.isEmpty()) {
            return;
        }
        List<Runnable> due = new ArrayList<>(waiting);
        waiting.clear();
        for (Runnable task : due) {
            Router.safely(task);
        }
    }

    /** Forgets the waiting tasks (the channel closed). */
    void clear() {
        waiting.clear();
    }
}
