package dev.scimsync.gateway.auth;

import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * A token bucket per connection: each connection may send {@code ratePerSecond} SCIM requests per second on
 * average and bursts of up to {@code burst}. One IdP running a full sync cannot take the capacity other
 * tenants need; it is told when to come back (Retry-After) rather than queued. Each gateway instance keeps
 * its own buckets, so the limit a connection sees is per instance (see docs/scaling.md).
 */
public final class ConnectionRateLimiter {

    private final double ratePerNano;
    private final double burst;
    private final LongSupplier nanoClock;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    public ConnectionRateLimiter(double ratePerSecond, int burst, LongSupplier nanoClock) {
        if (ratePerSecond <= 0 || burst < 1) {
            throw new IllegalArgumentException("the rate must be positive and the burst at least 1");
        }
        this.ratePerNano = ratePerSecond / 1e9;
        this.burst = burst;
        this.nanoClock = nanoClock;
    }

    /** Takes one token of the connection's bucket; empty when granted, else the whole seconds to wait. */
    public OptionalInt acquire(String connectionId) {
        return buckets.computeIfAbsent(connectionId, id -> new Bucket(burst, nanoClock.getAsLong()))
                .take(nanoClock.getAsLong());
    }

    /** Whether the connection's bucket is empty, without taking from it: empty when a request would be granted. */
    public OptionalInt peek(String connectionId) {
        Bucket bucket = buckets.get(connectionId);
        return bucket == null ? OptionalInt.empty() : bucket.peek(nanoClock.getAsLong());
    }

    private final class Bucket {
        private double tokens;
        private long refilledAt;

        Bucket(double tokens, long now) {
            this.tokens = tokens;
            this.refilledAt = now;
        }

        synchronized OptionalInt take(long now) {
            OptionalInt wait = peek(now);
            if (wait.isEmpty()) {
                tokens -= 1;
            }
            return wait;
        }

        synchronized OptionalInt peek(long now) {
            tokens = Math.min(burst, tokens + (now - refilledAt) * ratePerNano);
            refilledAt = now;
            if (tokens >= 1) {
                return OptionalInt.empty();
            }
            double nanosToNextToken = (1 - tokens) / ratePerNano;
            return OptionalInt.of((int) Math.max(1, Math.ceil(nanosToNextToken / 1e9)));
        }
    }
}
