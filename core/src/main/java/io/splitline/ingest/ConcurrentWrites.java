package io.splitline.ingest;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * Issues one phase of the {@link StreamAggregator}'s writes concurrently: independent single-item conditional
 * writes, at most {@code inFlight} at once. The calling thread writes too, and {@code inFlight − 1} helpers of one
 * pool per JVM (in Lambda, per container, which folds one batch at a time) take the others. The pool's threads are
 * daemons created on first use and exiting after a minute idle; it holds no connection, random state or clock
 * reading, so a SnapStart snapshot taken with it restores safely. Helpers queue behind another fold's rather than
 * multiply (the calling thread keeps writing meanwhile), so a JVM folding several shards at once (the local stack,
 * tests) has at most {@link #IN_FLIGHT} − 1 helpers in all.
 *
 * <p>Each phase ends before {@link #refused} returns or throws: once a write throws, no further write of the phase
 * starts, the writes already started are waited for, and the first failure is rethrown as it was thrown. So a failed
 * invocation leaves no write of its own still in flight when Lambda retries the batch in the same container.
 */
final class ConcurrentWrites {
    /**
     * Writes in flight per fold: at ~5 ms per single-item write from Lambda in-region (an assumption, see
     * docs/ingest-v2.md), a batch of 1 000 unit writes then takes ~0.16 s instead of ~5 s. The DynamoDB client
     * keeps as many idle connections per host ({@code AwsClients.KEEP_ALIVE_CONNECTIONS}), so a phase reuses them.
     */
    static final int IN_FLIGHT = 32;

    private final int inFlight;

    /** Writes at most {@code inFlight} at a time (1: one after another, on the calling thread). */
    ConcurrentWrites(int inFlight) {
        if (inFlight < 1 || inFlight > IN_FLIGHT) {
            throw new IllegalArgumentException("writes in flight must be 1.." + IN_FLIGHT + ", got " + inFlight);
        }
        this.inFlight = inFlight;
    }

    /**
     * Applies {@code write} to every item, at most {@code inFlight} at once.
     *
     * @return the items whose write answered false (its condition failed), in the order given
     */
    <T> List<T> refused(List<T> items, Predicate<T> write) {
        Phase<T> phase = new Phase<>(items, write);
        // The calling thread takes the first write before any helper starts, so every kind of write is made at least
        // once from the handler's stack (the IAM check attributes a call to a function by it).
        int first = phase.take();
        int helpers = Math.min(inFlight, items.size()) - 1;
        for (int i = 0; i < helpers; i++) {
            Helpers.POOL.execute(phase::work);
        }
        phase.work(first);
        return phase.end();
    }

    /** One phase's writes: handed out one at a time to the threads that work on it. */
    private static final class Phase<T> {
        private final List<T> items;
        private final Predicate<T> write;
        private final boolean[] accepted;
        private int next;
        private int running;
        private Throwable failure;

        Phase(List<T> items, Predicate<T> write) {
            this.items = items;
            this.write = write;
            this.accepted = new boolean[items.size()];
        }

        /** Writes items until none is left or a write failed. */
        void work() {
            work(take());
        }

        /** Writes item {@code first} (none if negative), then others until none is left or a write failed. */
        void work(int first) {
            for (int i = first; i >= 0; i = take()) {
                boolean ok = false;
                Throwable thrown = null;
                try {
                    ok = write.test(items.get(i));
                } catch (Throwable t) {
                    thrown = t;
                }
                finish(i, ok, thrown);
            }
        }

        synchronized int take() {
            if (failure != null || next >= items.size()) {
                return -1;
            }
            running++;
            return next++;
        }

        private synchronized void finish(int index, boolean ok, Throwable thrown) {
            running--;
            accepted[index] = ok;
            if (thrown != null && failure == null) {
                failure = thrown;
            }
            notifyAll();
        }

        /** Waits for the writes still running (the caller has run out of items), then reports. */
        synchronized List<T> end() {
            boolean interrupted = false;
            while (running > 0) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    interrupted = true; // every started write still ends before the phase does
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            if (failure instanceof RuntimeException e) {
                throw e;
            }
            if (failure instanceof Error e) {
                throw e;
            }
            if (failure != null) {
                throw new IllegalStateException(failure);
            }
            List<T> refused = new ArrayList<>();
            for (int i = 0; i < items.size(); i++) {
                if (!accepted[i]) {
                    refused.add(items.get(i));
                }
            }
            return refused;
        }
    }

    /** Created when first asked for (the holder idiom): a JVM that never folds starts no thread. */
    private static final class Helpers {
        private static final Executor POOL = create();

        private static ThreadPoolExecutor create() {
            AtomicInteger count = new AtomicInteger();
            ThreadPoolExecutor pool = new ThreadPoolExecutor(IN_FLIGHT - 1, IN_FLIGHT - 1, 60, TimeUnit.SECONDS,
                    new LinkedBlockingQueue<>(), task -> {
                        Thread thread = new Thread(task, "splitline-fold-write-" + count.incrementAndGet());
                        thread.setDaemon(true);
                        return thread;
                    });
            pool.allowCoreThreadTimeOut(true);
            return pool;
        }
    }
}
