package dev.scimsync.gateway.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class AuthFailuresTest {

    private static final long SECOND = 1_000_000_000L;
    private final AtomicLong now = new AtomicLong(1_000 * SECOND);

    private AuthFailures failures(int maxTracked) {
        return new AuthFailures(true, 3, Duration.ofMinutes(1), Duration.ofSeconds(30), maxTracked,
                new SimpleMeterRegistry(), now::get);
    }

    @Test
    void theThirdFailureInAWindowBlocksTheKeyForTheBlockTime() {
        AuthFailures failures = failures(100);
        failures.failed("address:10.0.0.1");
        failures.failed("address:10.0.0.1");
        assertEquals(OptionalInt.empty(), failures.blocked("address:10.0.0.1"));

        failures.failed("address:10.0.0.1");
        assertEquals(OptionalInt.of(30), failures.blocked("address:10.0.0.1"));
        assertEquals(OptionalInt.empty(), failures.blocked("address:10.0.0.2"), "other keys are not blocked");

        now.addAndGet(29 * SECOND + SECOND / 2);
        assertEquals(OptionalInt.of(1), failures.blocked("address:10.0.0.1"), "Retry-After rounds up");
        now.addAndGet(SECOND);
        assertEquals(OptionalInt.empty(), failures.blocked("address:10.0.0.1"));
        failures.failed("address:10.0.0.1");
        assertEquals(OptionalInt.empty(), failures.blocked("address:10.0.0.1"), "after a block, counting starts over");
    }

    @Test
    void failuresAgeOutWithTheirWindow() {
        AuthFailures failures = failures(100);
        failures.failed("token:aaaaaaaaaaaa");
        failures.failed("token:aaaaaaaaaaaa");
        now.addAndGet(61 * SECOND);
        failures.failed("token:aaaaaaaaaaaa");
        assertEquals(OptionalInt.empty(), failures.blocked("token:aaaaaaaaaaaa"));
    }

    @Test
    void oneFailureCountsAgainstEveryKeyItNames() {
        AuthFailures failures = failures(100);
        for (int i = 0; i < 3; i++) {
            failures.failed("token:aaaaaaaaaaaa", "address:10.0.0.1");
        }
        assertTrue(failures.blocked("token:aaaaaaaaaaaa").isPresent());
        assertTrue(failures.blocked("address:10.0.0.1").isPresent());
    }

    @Test
    void aFullTableSweepsLapsedKeysButNeverDropsABlock() {
        AuthFailures failures = new AuthFailures(true, 3, Duration.ofSeconds(10), Duration.ofMinutes(1), 3,
                new SimpleMeterRegistry(), now::get);
        for (int i = 0; i < 3; i++) {
            failures.failed("address:10.0.0.1");
        }
        failures.failed("address:10.0.0.2");
        failures.failed("address:10.0.0.3");
        assertEquals(3, failures.tracked());

        // Full: a new key is not tracked (an attacker spraying addresses cannot evict its own block).
        for (int i = 0; i < 3; i++) {
            failures.failed("address:10.0.0.4");
        }
        assertEquals(OptionalInt.empty(), failures.blocked("address:10.0.0.4"));
        assertEquals(3, failures.tracked());

        // Once their window has passed, the counting keys are swept to make room; the block stays.
        now.addAndGet(20 * SECOND);
        failures.failed("address:10.0.0.5");
        assertEquals(2, failures.tracked());
        assertTrue(failures.blocked("address:10.0.0.1").isPresent());
    }

    @Test
    void ipv6AddressesAreCountedPerSlash64AndIpv4PerAddress() {
        assertEquals(AuthFailures.addressKey("2001:db8:1:2:aaaa::1"), AuthFailures.addressKey("2001:db8:1:2::ffff"));
        assertTrue(!AuthFailures.addressKey("2001:db8:1:2::1").equals(AuthFailures.addressKey("2001:db8:1:3::1")));
        assertEquals("address:192.0.2.7", AuthFailures.addressKey("192.0.2.7"));
    }

    @Test
    void turnedOffItCountsAndBlocksNothing() {
        AuthFailures failures = new AuthFailures(false, 1, Duration.ofMinutes(1), Duration.ofMinutes(1), 10,
                new SimpleMeterRegistry(), now::get);
        failures.failed("address:10.0.0.1");
        assertEquals(OptionalInt.empty(), failures.blocked("address:10.0.0.1"));
        assertEquals(0, failures.tracked());
    }
}
