package dev.scimsync.gateway.auth;

import dev.scimsync.gateway.scim.ScimErrorResponses;
import dev.scimsync.gateway.scim.ScimException;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Authenticates every SCIM request with the connection's bearer token, verified by {@link TokenVerifier} from
 * the credentials membership-service publishes (no call to it on the request path), so a revoked token stops
 * working as soon as its record arrives; then holds the connection to its rate limit. A connection already over
 * its limit is refused before the token check (see {@link RateLimits}), and its refusal is held back for
 * {@code scim.rate-limit.refusal-delay}: a client that ignores Retry-After and asks again at once can then send
 * no faster than its concurrency per delay, so its refusals cannot crowd other tenants' requests off the
 * gateway's cores.
 */
public class ScimAuthenticationFilter {

    private final TokenVerifier tokens;
    private final TokenUsage usage;
    private final ScimCaller caller;
    private final RateLimits rateLimits;
    private final Duration refusalDelay;

    public ScimAuthenticationFilter(TokenVerifier tokens, TokenUsage usage, ScimCaller caller, RateLimits rateLimits,
            @ConfigProperty(name = "scim.rate-limit.refusal-delay") Duration refusalDelay) {
        this.tokens = tokens;
        this.usage = usage;
        this.caller = caller;
        this.rateLimits = rateLimits;
        this.refusalDelay = refusalDelay;
    }

    @ServerRequestFilter
    public Uni<Response> authenticate(ContainerRequestContext request) {
        if (!request.getUriInfo().getPath().startsWith("/scim/")) {
            return null;
        }
        var token = BearerTokens.from(request.getHeaderString(HttpHeaders.AUTHORIZATION));
        if (token.isEmpty()) {
            return Uni.createFrom().item(ScimErrorResponses.of(ScimException.unauthorized(
                    "missing bearer token: send 'Authorization: Bearer <SCIM token of the connection>'")));
        }
        var early = rateLimits.refuseEarly(token.get());
        if (early.isPresent()) {
            return overLimit(early.get().connectionName(), early.get().retryAfterSeconds());
        }
        return tokens.verify(token.get()).onItem().transformToUni(verified -> {
            if (!verified.scimEnabled()) {
                return refuse(ScimException.forbidden(
                        "SCIM is not enabled for connection '" + verified.connectionName() + "'; enable it in the admin console"));
            }
            var wait = rateLimits.acquire(verified.tokenId(),
                    new RateLimits.KnownConnection(verified.connectionId(), verified.connectionName()));
            if (wait.isPresent()) {
                return overLimit(verified.connectionName(), wait.getAsInt());
            }
            caller.authenticated(verified.connectionId(), verified.tokenId());
            usage.used(verified.tokenId());
            return Uni.createFrom().<Response>nullItem();
        }).onFailure().recoverWithItem(failure -> ScimErrorResponses.of(failure instanceof ScimException refusal
                ? refusal : ScimException.unavailable("the token could not be checked right now", 5)));
    }

    private static Uni<Response> refuse(ScimException error) {
        return Uni.createFrom().item(ScimErrorResponses.of(error));
    }

    private Uni<Response> overLimit(String connectionName, int retryAfterSeconds) {
        Uni<Response> refusal = refuse(ScimException.tooManyRequests("connection '" + connectionName
                + "' is over its rate limit (scim.rate-limit); retry after " + retryAfterSeconds + " s",
                retryAfterSeconds));
        // Never held longer than the client was told to wait.
        Duration hold = refusalDelay.compareTo(Duration.ofSeconds(retryAfterSeconds)) < 0
                ? refusalDelay : Duration.ofSeconds(retryAfterSeconds);
        return hold.isZero() ? refusal : refusal.onItem().delayIt().by(hold);
    }
}
