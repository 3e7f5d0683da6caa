package dev.scimsync.gateway.auth;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The configured per-connection SCIM rate limit ({@code scim.rate-limit.*}), counted in metrics when it bites.
 * A connection that is over its limit is refused before its token is checked, so a flood costs the gateway
 * little and membership-service nothing: the token's id (the public part of {@code scim_<id>_<secret>}) names
 * the connection its earlier verified requests belonged to.
 */
@ApplicationScoped
public class RateLimits {

    /** The connection a token was last verified for: learnt only from verified tokens, so bounded by them. */
    public record KnownConnection(String id, String name) {
    }

    private static final Pattern TOKEN_ID = Pattern.compile("scim_([0-9a-f]{12})_.+");

    private final boolean enabled;
    private final ConnectionRateLimiter limiter;
    private final MeterRegistry metrics;
    private final Map<String, KnownConnection> connectionOfToken = new ConcurrentHashMap<>();

    public RateLimits(@ConfigProperty(name = "scim.rate-limit.enabled") boolean enabled,
            @ConfigProperty(name = "scim.rate-limit.requests-per-second") double ratePerSecond,
            @ConfigProperty(name = "scim.rate-limit.burst") int burst, MeterRegistry metrics) {
        this.enabled = enabled;
        this.limiter = new ConnectionRateLimiter(ratePerSecond, burst, System::nanoTime);
        this.metrics = metrics;
    }

    /**
     * Before the token check: the connection the token was verified for, if that connection must wait now
     * (nothing is taken from its bucket; the verified request takes its share in {@link #acquire}).
     */
    public Optional<Refusal> refuseEarly(String presentedToken) {
        if (!enabled) {
            return Optional.empty();
        }
        Matcher id = TOKEN_ID.matcher(presentedToken);
        KnownConnection connection = id.matches() ? connectionOfToken.get(id.group(1)) : null;
        if (connection == null) {
            return Optional.empty();
        }
        OptionalInt wait = limiter.peek(connection.id());
        if (wait.isEmpty()) {
            return Optional.empty();
        }
        limited(connection.id());
        return Optional.of(new Refusal(connection.name(), wait.getAsInt()));
    }

    /** A request refused before its token was checked: the connection its token was last verified for. */
    public record Refusal(String connectionName, int retryAfterSeconds) {
    }

    /** After the token check: empty when the connection may go on; else the seconds to tell it to wait. */
    public OptionalInt acquire(String tokenId, KnownConnection connection) {
        if (!enabled) {
            return OptionalInt.empty();
        }
        connectionOfToken.put(tokenId, connection);
        OptionalInt wait = limiter.acquire(connection.id());
        if (wait.isPresent()) {
            limited(connection.id());
        }
        return wait;
    }

    /**
     * One more request's share for a connection already verified in this request: each operation of a Bulk request
     * beyond its first costs what a request of its own would. Empty when granted, else the seconds to wait.
     */
    public OptionalInt acquireOperation(String connectionId) {
        if (!enabled) {
            return OptionalInt.empty();
        }
        OptionalInt wait = limiter.acquire(connectionId);
        if (wait.isPresent()) {
            limited(connectionId);
        }
        return wait;
    }

    private void limited(String connectionId) {
        metrics.counter("scim_rate_limited_requests_total", "connection", connectionId).increment();
    }
}
