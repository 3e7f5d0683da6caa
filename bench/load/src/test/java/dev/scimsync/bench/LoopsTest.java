package dev.scimsync.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

class LoopsTest {

    /**
     * A server that answers one request at a time in 1 ms, but stalls 300 ms once. Requests due during the
     * stall wait behind it: the open loop must count that wait (coordinated omission), so well over 1% of
     * the requests see 100+ ms - a closed-loop client would have recorded a single slow request.
     */
    @Test
    void aStallShowsInTheLatencyOfEveryRequestDueDuringIt() throws Exception {
        ExecutorService server = Executors.newSingleThreadExecutor();
        Latencies latencies = new Latencies("stalled");
        long requests = Loops.openLoop(200, Duration.ofSeconds(2), 1000, latencies,
                i -> CompletableFuture.supplyAsync(() -> {
                    sleep(i == 50 ? 300 : 1);
                    return 200;
                }, server));
        server.shutdown();

        assertEquals(400, requests);
        assertEquals(400, latencies.count(200));
        long slow = 0;
        var histogram = latencies.histogram();
        for (var value : histogram.recordedValues()) {
            if (value.getValueIteratedTo() >= 100_000) {
                slow += value.getCountAddedInThisIterationStep();
            }
        }
        assertTrue(slow >= 20, "requests due during the 300 ms stall waited for it: " + slow);
        assertTrue(latencies.p99Millis() >= 100, "p99 " + latencies.p99Millis());
    }

    @Test
    void theClosedLoopRunsEachOperationOnceAcrossClients() throws Exception {
        Latencies latencies = new Latencies("closed");
        java.util.Set<Long> seen = java.util.concurrent.ConcurrentHashMap.newKeySet();
        Loops.closedLoop(4, 1000, latencies, i -> seen.add(i) ? 201 : 409);
        assertEquals(1000, seen.size());
        assertEquals(1000, latencies.count(201));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
