package dev.scimsync.bench;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;
import java.util.function.LongFunction;

/** How load is offered: at a fixed rate (open loop) or as fast as N clients can go (closed loop). */
final class Loops {

    private Loops() {
    }

    /** An operation started at {@code intendedNanos}; completes with the HTTP status (0 when it failed). */
    interface Operation {
        CompletableFuture<Integer> start(long index);
    }

    /** Where an open loop records each request: when it was due (after the start), its latency and status. */
    interface Sink {
        void record(long dueSinceStartNanos, long micros, int status);
    }

    static long openLoop(double ratePerSecond, Duration duration, int maxInFlight, Latencies latencies,
            Operation operation) throws InterruptedException {
        return openLoop(ratePerSecond, duration, maxInFlight, (due, micros, status) -> latencies.record(micros, status),
                operation);
    }

    /**
     * Open loop: operation i is due at start + i / rate, whatever happened to the ones before it, and its
     * latency is measured from when it was due, not from when it was sent - so a stall that delays later
     * requests shows in their latency (no coordinated omission). At most {@code maxInFlight} run at once;
     * the ones waiting for a slot are still timed from when they were due.
     */
    static long openLoop(double ratePerSecond, Duration duration, int maxInFlight, Sink latencies,
            Operation operation) throws InterruptedException {
        long intervalNanos = (long) (1e9 / ratePerSecond);
        long count = (long) (duration.toNanos() / (double) intervalNanos);
        Semaphore slots = new Semaphore(maxInFlight);
        CountDownLatch done = new CountDownLatch((int) count);
        long start = System.nanoTime();
        for (long i = 0; i < count; i++) {
            long due = start + i * intervalNanos;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            slots.acquire();
            operation.start(i).whenComplete((status, failure) -> {
                latencies.record(due - start, (System.nanoTime() - due) / 1000, failure == null ? status : 0);
                slots.release();
                done.countDown();
            });
        }
        done.await(5, TimeUnit.MINUTES);
        return count;
    }

    /**
     * Closed loop: {@code clients} each run one operation after another until {@code total} have run;
     * answers the elapsed nanoseconds. Latency here is service time (each client waits for its answer).
     */
    static long closedLoop(int clients, long total, Latencies latencies, LongFunction<Integer> operation)
            throws InterruptedException {
        AtomicLong next = new AtomicLong();
        long start = System.nanoTime();
        runClients(clients, latencies, client -> {
            long index = next.getAndIncrement();
            return index < total ? operation.apply(index) : null;
        });
        return System.nanoTime() - start;
    }

    /** Closed loop for a fixed time rather than a fixed count; answers how many ran. */
    static long closedLoopFor(int clients, Duration duration, Latencies latencies, IntFunction<Integer> operation)
            throws InterruptedException {
        long end = System.nanoTime() + duration.toNanos();
        AtomicLong ran = new AtomicLong();
        runClients(clients, latencies, client -> {
            if (System.nanoTime() >= end) {
                return null;
            }
            ran.incrementAndGet();
            return operation.apply(client);
        });
        return ran.get();
    }

    /** Runs each client's next operation (its status, or null when the client is done) until all are done. */
    private static void runClients(int clients, Latencies latencies, IntFunction<Integer> next)
            throws InterruptedException {
        Thread[] threads = new Thread[clients];
        for (int c = 0; c < clients; c++) {
            int client = c;
            threads[c] = new Thread(() -> {
                while (true) {
                    long began = System.nanoTime();
                    Integer status;
                    try {
                        status = next.apply(client);
                    } catch (RuntimeException e) {
                        status = 0;
                    }
                    if (status == null) {
                        return;
                    }
                    latencies.record((System.nanoTime() - began) / 1000, status);
                }
            }, "client-" + c);
            threads[c].start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
    }
}
