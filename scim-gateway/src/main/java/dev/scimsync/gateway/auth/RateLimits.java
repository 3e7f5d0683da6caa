package dev.scimsync.gateway.auth;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.OptionalInt;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The configured per-connection SCIM rate limit ({@code scim.rate-limit.*}), counted in metrics when it bites. */
@ApplicationScoped
public class RateLimits {

    private final boolean enabled;
    private final ConnectionRateLimiter limiter;
    private final MeterRegistry metrics;

    public RateLimits(@ConfigProperty(name = "scim.rate-limit.enabled") boolean enabled,
            @ConfigProperty(name = "scim.rate-limit.requests-per-second") double ratePerSecond,
            @ConfigProperty(name = "scim.rate-limit.burst") int burst, MeterRegistry metrics) {
        this.enabled = enabled;
        this.limiter = new ConnectionRateLimiter(ratePerSecond, burst, System::nanoTime);
        this.metrics = metrics;
    }

    /** Empty when the connection may go on; else the seconds to tell it to wait. */
    public OptionalInt acquire(String connectionId) {
        if (!enabled) {
            return OptionalInt.empty();
        }
        OptionalInt wait = limiter.acquire(connectionId);
        if (wait.isPresent()) {
            metrics.counter("scim_rate_limited_requests_total", "connection", connectionId).increment();
        }
        return wait;
    }
}
