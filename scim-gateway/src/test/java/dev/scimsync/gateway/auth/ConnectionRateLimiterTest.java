package dev.scimsync.gateway.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ConnectionRateLimiterTest {

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final ConnectionRateLimiter limiter = new ConnectionRateLimiter(10, 5, now::get);

    private int granted(String connection, int attempts) {
        int granted = 0;
        for (int i = 0; i < attempts; i++) {
            if (limiter.acquire(connection).isEmpty()) {
                granted++;
            }
        }
        return granted;
    }

    @Test
    void aBurstIsAllowedThenTheRateAndTheRefusalSaysWhenToComeBack() {
        assertEquals(5, granted("a", 50), "the burst");
        OptionalInt refused = limiter.acquire("a");
        assertEquals(OptionalInt.of(1), refused, "a tenth of a second away, rounded up to whole seconds");

        now.addAndGet(500_000_000L);
        assertEquals(5, granted("a", 50), "half a second at 10/s");
        now.addAndGet(10_000_000_000L);
        assertEquals(5, granted("a", 50), "a long pause refills only up to the burst");
    }

    @Test
    void connectionsHaveTheirOwnBuckets() {
        assertEquals(5, granted("noisy", 1000));
        assertEquals(5, granted("quiet", 5), "the noisy connection took nothing of the quiet one's");
    }

    @Test
    void slowRatesAskForLongerWaits() {
        ConnectionRateLimiter slow = new ConnectionRateLimiter(0.25, 1, now::get);
        assertTrue(slow.acquire("c").isEmpty());
        assertEquals(OptionalInt.of(4), slow.acquire("c"));
        assertThrows(IllegalArgumentException.class, () -> new ConnectionRateLimiter(0, 1, now::get));
    }

    @Test
    void peekingTellsAnEmptyBucketWithoutTakingFromIt() {
        ConnectionRateLimiter limiter = new ConnectionRateLimiter(1, 2, now::get);
        assertTrue(limiter.peek("new").isEmpty(), "a connection never seen is not over its limit");
        assertTrue(limiter.acquire("c").isEmpty());
        assertTrue(limiter.peek("c").isEmpty());
        assertTrue(limiter.peek("c").isEmpty(), "peeking took nothing");
        assertTrue(limiter.acquire("c").isEmpty());
        assertEquals(OptionalInt.of(1), limiter.peek("c"));
        assertEquals(OptionalInt.of(1), limiter.acquire("c"));
    }
}
