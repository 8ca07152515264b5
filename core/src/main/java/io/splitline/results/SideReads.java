package io.splitline.results;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A read started beside the calling thread's own, so that a results call waits for the longer of two reads
 * instead of their sum (the definition's {@code GetItem} beside the aggregates' shard queries). One pool per
 * JVM (in Lambda, per container), created on first use: at most {@link #THREADS} daemon threads, exiting after
 * a minute idle; further reads queue. It holds no connection, random state or clock reading, so a SnapStart
 * snapshot taken with it restores safely.
 */
final class SideReads {
    /** Threads: a Lambda container serves one call at a time; the local stack a few. */
    static final int THREADS = 4;

    private SideReads() {
    }

    /** Starts {@code read} on the pool. */
    static <T> CompletableFuture<T> start(Supplier<T> read) {
        return CompletableFuture.supplyAsync(read, Holder.EXECUTOR);
    }

    /** The read's value, or the exception it threw, as if it had run on the calling thread. */
    static <T> T join(CompletableFuture<T> read) {
        try {
            return read.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    /** Created when first asked for (the holder idiom): a function that never reads results starts no thread. */
    private static final class Holder {
        private static final Executor EXECUTOR = create();

        private static ThreadPoolExecutor create() {
            AtomicInteger count = new AtomicInteger();
            ThreadPoolExecutor pool = new ThreadPoolExecutor(THREADS, THREADS, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                    task -> {
                        Thread thread = new Thread(task, "splitline-side-read-" + count.incrementAndGet());
                        thread.setDaemon(true);
                        return thread;
                    });
            pool.allowCoreThreadTimeOut(true);
            return pool;
        }
    }
}
