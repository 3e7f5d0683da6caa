package dev.scimsync.gateway.auth;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class UnknownTokenIdsTest {

    private final AtomicLong now = new AtomicLong();
    private final UnknownTokenIds unknown = new UnknownTokenIds(Duration.ofSeconds(10), now::get);

    @Test
    void anIdIsRememberedForItsTimeOnly() {
        unknown.remember("0123456789ab");
        assertTrue(unknown.contains("0123456789ab"));
        assertFalse(unknown.contains("ba9876543210"));

        now.addAndGet(Duration.ofSeconds(10).toNanos());
        assertFalse(unknown.contains("0123456789ab"), "asked again once its time is up");
    }

    @Test
    void itNeverHoldsMoreThanItsBound() {
        for (int i = 0; i <= UnknownTokenIds.MAX_IDS; i++) {
            unknown.remember(String.format("%012x", i));
        }
        assertFalse(unknown.contains("000000000000"), "started over rather than grown");
        assertTrue(unknown.contains(String.format("%012x", UnknownTokenIds.MAX_IDS)));
    }
}
