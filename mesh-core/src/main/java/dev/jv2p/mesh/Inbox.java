package dev.jv2p.mesh;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a node hands its user: the bounded queue of user messages that {@code recv} takes from,
 * and the {@link MeshListener}s, called on the callback executor one at a time, in event
 * order. A message that finds the queue full is dropped and counted.
 */
final class Inbox {
    /** Logs as {@link MeshSocket}, as before the split: operators filter on that name. */
    private static final Logger LOG = LoggerFactory.getLogger(MeshSocket.class);

    private final MeshSocket socket;
    private final Executor callbacks;
    private final int capacity;
    private final LinkedBlockingQueue<Message> queue;
    private final List<MeshListener> listeners = new CopyOnWriteArrayList<>();
    private final AtomicLong droppedForFullQueue = new AtomicLong();

    Inbox(MeshSocket socket, Executor callbacks, int capacity) {
        this.socket = socket;
        this.callbacks = callbacks;
        this.capacity = capacity;
        this.queue = new LinkedBlockingQueue<>(capacity);
    }

    void deliver(Message m) {
        if (!queue.offer(m)) {
            if (droppedForFullQueue.getAndIncrement() % 1000 == 0) {
                LOG.warn(
                        "receive queue full ({} messages): dropping new user messages until recv() catches up",
                        capacity);
            }
            return;
        }
        fire(l -> l.onMessage(socket));
    }

    Message poll() {
        return queue.poll();
    }

    List<Message> poll(int n) {
        List<Message> out = new ArrayList<>();
        queue.drainTo(out, n);
        return out;
    }

    Message poll(Duration timeout) throws InterruptedException {
        return queue.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    long dropped() {
        return droppedForFullQueue.get();
    }

    Registration addListener(MeshListener listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    void fireConnect() {
        fire(l -> l.onConnect(socket));
    }

    private void fire(Consumer<MeshListener> event) {
        if (listeners.isEmpty()) {
            return;
        }
        callbacks.execute(() -> {
            for (MeshListener l : listeners) {
                try {
                    event.accept(l);
                } catch (RuntimeException e) {
                    LOG.warn("a mesh listener failed: {}", e.toString(), e);
                }
            }
        });
    }

    /** Runs {@code task} on the callback executor, after every event queued before it. */
    void runOnCallbackThread(Runnable task) {
        callbacks.execute(task);
    }
}
