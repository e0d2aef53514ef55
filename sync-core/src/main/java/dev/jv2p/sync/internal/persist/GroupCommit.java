package dev.jv2p.sync.internal.persist;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The thread that forces the log to disk: every {@code interval} when records were appended
 * since the last time (group commit), and at once when someone waits ({@link #whenForced}),
 * all waiters of one force together. The event loop appends; only this thread waits for the
 * disk.
 */
final class GroupCommit implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(GroupCommit.class);

    interface Log {
        /** Records appended so far. */
        long appended();

        /** Forces what was appended to disk. */
        void force() throws IOException;
    }

    private static final Duration RETRY = Duration.ofMillis(100);

    private record Waiter(long record, Runnable task) {}

    private final Log log;
    /** {@code null}: force only for waiters. */
    private final Duration interval;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    private final Queue<Waiter> waiters = new ArrayDeque<>();
    private final Thread thread;
    private volatile long forced;
    private boolean stopped;

    GroupCommit(Log log, Duration interval, String name) {
        this.log = log;
        this.interval = interval;
        this.thread = new Thread(this, name);
        thread.setDaemon(true);
        thread.start();
    }

    /** Runs {@code task} on this thread once every record appended so far is on disk. */
    void whenForced(Runnable task) {
        long record = log.appended();
        lock.lock();
        try {
            waiters.add(new Waiter(record, task));
            wake.signal();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void run() {
        while (true) {
            lock.lock();
            try {
                while (!stopped && waiters.isEmpty() && (interval == null || log.appended() == forced)) {
                    if (interval == null) {
                        wake.await();
                    } else {
                        wake.await(interval.toNanos(), TimeUnit.NANOSECONDS);
                    }
                }
                if (stopped && waiters.isEmpty()) {
                    return;
                }
            } catch (InterruptedException e) {
                return;
            } finally {
                lock.unlock();
            }
            forceOnce();
        }
    }

    private void forceOnce() {
        long target = log.appended();
        try {
            log.force();
            forced = target;
        } catch (IOException e) {
            LOG.error(
                    "cannot force the log to disk; writes wait for their acknowledgement until it can: {}",
                    e.toString());
            pause(); // then try again, not in a tight loop
            return;
        }
        while (true) {
            Waiter w;
            lock.lock();
            try {
                w = waiters.peek();
                if (w == null || w.record() > target) {
                    return;
                }
                waiters.poll();
            } finally {
                lock.unlock();
            }
            try {
                w.task().run();
            } catch (RuntimeException e) { // a closed node's loop refuses the acknowledgement: nobody waits
                LOG.debug("acknowledgement of a durable write not delivered: {}", e.toString());
            }
        }
    }

    private void pause() {
        lock.lock();
        try {
            if (!stopped) {
                wake.await(RETRY.toNanos(), TimeUnit.NANOSECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
    }

    /** Forces once more, runs the last waiters and ends the thread. */
    void stop() {
        lock.lock();
        try {
            stopped = true;
            wake.signal();
        } finally {
            lock.unlock();
        }
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
