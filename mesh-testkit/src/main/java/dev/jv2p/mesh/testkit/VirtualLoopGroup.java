package dev.jv2p.mesh.testkit;

import io.netty.channel.IoEventLoop;
import io.netty.channel.IoEventLoopGroup;
import io.netty.channel.IoHandle;
import io.netty.channel.IoHandler;
import io.netty.channel.IoHandlerContext;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.IoRegistration;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SingleThreadIoEventLoop;
import io.netty.util.concurrent.Ticker;
import java.util.concurrent.Executor;

/**
 * A one-thread event loop group whose loop keeps time by a {@link VirtualTicker}: Netty runs a
 * scheduled task once the ticker reaches its deadline, whatever the system clock says.
 */
final class VirtualLoopGroup extends MultiThreadIoEventLoopGroup {
    private final VirtualTicker ticker;

    VirtualLoopGroup(VirtualTicker ticker, IoHandlerFactory io) {
        super(1, (Executor) null, io, ticker);
        this.ticker = ticker;
    }

    @Override
    public Ticker ticker() {
        return ticker;
    }

    /** The group's only loop. */
    Loop loop() {
        return (Loop) next();
    }

    @Override
    protected IoEventLoop newChild(Executor executor, IoHandlerFactory io, Object... args) {
        VirtualTicker t = (VirtualTicker) args[0];
        return new Loop(this, executor, thread -> new VirtualIoHandler(io.newHandler(thread), t), t);
    }

    /** The loop: Netty's own, with the virtual ticker. */
    static final class Loop extends SingleThreadIoEventLoop {
        private final VirtualTicker ticker;

        Loop(IoEventLoopGroup group, Executor executor, IoHandlerFactory io, VirtualTicker ticker) {
            super(group, executor, io);
            this.ticker = ticker;
        }

        @Override
        public Ticker ticker() {
            // Netty's constructor reads the ticker once, before this field is set
            return ticker == null ? Ticker.systemTicker() : ticker;
        }

        /**
         * Whether nothing is left to run now: no task queued and no scheduled task due. Call on
         * the loop.
         */
        boolean idle() {
            long next = nextScheduledTaskDeadlineNanos();
            return pendingTasks() == 0 && (next == -1 || next > ticker.nanoTime());
        }

        /** The deadline of the next scheduled task, or -1 if there is none. Call on the loop. */
        long nextDeadline() {
            return nextScheduledTaskDeadlineNanos();
        }
    }

    /**
     * An I/O handler that waits for I/O as long as the virtual clock says the next scheduled
     * task is away; a task submitted from outside (as {@link VirtualTime} does whenever it moves
     * the clock) wakes it up. Netty's local handler passes the system clock to {@code
     * delayNanos}, which against virtual deadlines would make the loop spin or oversleep.
     */
    private static final class VirtualIoHandler implements IoHandler {
        private final IoHandler delegate;
        private final VirtualTicker ticker;

        VirtualIoHandler(IoHandler delegate, VirtualTicker ticker) {
            this.delegate = delegate;
            this.ticker = ticker;
        }

        @Override
        public void initialize() {
            delegate.initialize();
        }

        @Override
        public int run(IoHandlerContext context) {
            return delegate.run(new IoHandlerContext() {
                @Override
                public boolean canBlock() {
                    return context.canBlock();
                }

                @Override
                public long delayNanos(long ignoredSystemTime) {
                    return context.delayNanos(ticker.nanoTime());
                }

                @Override
                public long deadlineNanos() {
                    return context.deadlineNanos();
                }
            });
        }

        @Override
        public void prepareToDestroy() {
            delegate.prepareToDestroy();
        }

        @Override
        public void destroy() {
            delegate.destroy();
        }

        @Override
        public IoRegistration register(IoHandle handle) throws Exception {
            return delegate.register(handle);
        }

        @Override
        public void wakeup() {
            delegate.wakeup();
        }

        @Override
        public boolean isCompatible(Class<? extends IoHandle> handleType) {
            return delegate.isCompatible(handleType);
        }
    }
}
