package dev.jv2p.mesh.testing;

import io.netty.buffer.ByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Records every leak Netty's leak detector reports (it still logs them as usual), so that a
 * test run can fail on them: see {@link FailOnLeaks}. {@link #install()} must run before
 * Netty creates its detectors, that is before the first {@code ByteBuf} class is loaded.
 */
public final class LeakRecorder {
    private static final List<String> LEAKS = new ArrayList<>();
    private static final Set<String> TRACKED_TYPES = ConcurrentHashMap.newKeySet();
    private static volatile boolean installed;

    private LeakRecorder() {}

    /** Makes Netty create recording detectors from now on; later calls do nothing. */
    public static synchronized void install() {
        if (installed) {
            return;
        }
        installed = true;
        ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(new ResourceLeakDetectorFactory() {
            @Override
            @SuppressWarnings("deprecation")
            public <T> ResourceLeakDetector<T> newResourceLeakDetector(
                    Class<T> resource, int samplingInterval, long maxActive) {
                return new RecordingDetector<>(resource, samplingInterval);
            }

            @Override
            public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource, int samplingInterval) {
                return new RecordingDetector<>(resource, samplingInterval);
            }
        });
    }

    /** Whether Netty's buffers are watched by a recording detector (false: installed too late). */
    public static boolean watchesBuffers() {
        ByteBufAllocator.DEFAULT.buffer(1).release(); // loads the buffer classes if nothing did yet
        return TRACKED_TYPES.contains("ByteBuf");
    }

    /**
     * Makes pending reports come out: collects garbage, waits until the collector has handed
     * its references over, then allocates a buffer, the moment at which Netty polls for leaks.
     */
    public static void collect() throws InterruptedException {
        for (int round = 0; round < 2; round++) {
            ReferenceQueue<Object> queue = new ReferenceQueue<>();
            WeakReference<Object> sentinel = new WeakReference<>(new Object(), queue);
            while (queue.remove(100) == null) {
                System.gc();
            }
            sentinel.clear();
            ByteBufAllocator.DEFAULT.buffer(1).release();
            ByteBufAllocator.DEFAULT.directBuffer(1).release();
        }
    }

    /** The leaks reported since the last call, removed from the record. */
    public static synchronized List<String> drain() {
        List<String> out = new ArrayList<>(LEAKS);
        LEAKS.clear();
        return out;
    }

    private static synchronized void record(String report) {
        LEAKS.add(report);
    }

    private static final class RecordingDetector<T> extends ResourceLeakDetector<T> {
        RecordingDetector(Class<T> resource, int samplingInterval) {
            super(resource, samplingInterval);
            TRACKED_TYPES.add(resource.getSimpleName());
        }

        @Override
        protected boolean needReport() {
            return true;
        }

        @Override
        protected void reportTracedLeak(String resourceType, String records) {
            super.reportTracedLeak(resourceType, records);
            record("LEAK: " + resourceType + ".release() was not called before it was garbage-collected." + records);
        }

        @Override
        protected void reportUntracedLeak(String resourceType) {
            super.reportUntracedLeak(resourceType);
            record("LEAK: " + resourceType + ".release() was not called before it was garbage-collected"
                    + " (enable paranoid leak detection for where it was last used)");
        }
    }
}
