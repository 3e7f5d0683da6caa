package dev.scimsync.gateway.auth;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Token ids membership-service just said it does not know, remembered for a few seconds, so that an IdP
 * configured with a wrong token - retrying as fast as it can - costs one call to membership-service per
 * {@code ttl}, not one per request. Bounded: past {@link #MAX_IDS} it starts over rather than grow (random
 * ids sprayed by an attacker are bounded by the fallback rate of {@link TokenVerifier}, not by this).
 */
final class UnknownTokenIds {

    static final int MAX_IDS = 10_000;

    private final long ttlNanos;
    private final LongSupplier nanoClock;
    private final Map<String, Long> expiresAt = new ConcurrentHashMap<>();

    UnknownTokenIds(Duration ttl, LongSupplier nanoClock) {
        this.ttlNanos = ttl.toNanos();
        this.nanoClock = nanoClock;
    }

    void remember(String tokenId) {
        if (expiresAt.size() >= MAX_IDS) {
            expiresAt.clear();
        }
        expiresAt.put(tokenId, nanoClock.getAsLong() + ttlNanos);
    }

    boolean contains(String tokenId) {
        Long until = expiresAt.get(tokenId);
        if (until == null) {
            return false;
        }
        if (nanoClock.getAsLong() - until >= 0) {
            expiresAt.remove(tokenId, until);
            return false;
        }
        return true;
    }
}
