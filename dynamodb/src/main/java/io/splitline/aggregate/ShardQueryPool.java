package io.splitline.aggregate;

import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads that run {@link AggregateReader}'s shard queries besides the calling thread: one pool per
 * JVM (in Lambda, per container), created on first use, at most {@link #THREADS} daemon threads that exit
 * after a minute idle. Daemon, so it never keeps a JVM alive; bounded, so concurrent reads queue instead of
 * multiplying threads. It holds no connection, random state or clock reading, so a SnapStart snapshot taken
 * with it (idle threads are frozen and resumed as they are) restores safely; the SDK client it calls
 * re-opens its connections after a restore as it does anyway.
 */
final class ShardQueryPool {
    /** Threads besides the caller's: {@link DynamoDbAggregateReader#PARALLELISM} − 1 per read, with room for two reads at once. */
    static final int THREADS = 2 * (DynamoDbAggregateReader.PARALLELISM - 1);

    private ShardQueryPool() {
    }

    static Executor executor() {
        return Holder.EXECUTOR;
    }

    /** Created when first asked for (the holder idiom): functions that never read aggregates start no thread. */
    private static final class Holder {
        private static final Executor EXECUTOR = create();

        private static ThreadPoolExecutor create() {
            AtomicInteger count = new AtomicInteger();
            ThreadFactory daemons = task -> {
                Thread thread = new Thread(task, "splitline-shard-query-" + count.incrementAndGet());
                thread.setDaemon(true);
                return thread;
            };
            ThreadPoolExecutor pool = new ThreadPoolExecutor(THREADS, THREADS, 60, TimeUnit.SECONDS,
                    new LinkedBlockingQueue<>(), daemons);
            pool.allowCoreThreadTimeOut(true);
            return pool;
        }
    }
}
