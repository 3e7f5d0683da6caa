package dev.scimsync.gateway.auth;

import dev.scimsync.contracts.ScimTokens;
import dev.scimsync.contracts.TroubleshootingReport;
import dev.scimsync.gateway.scim.ScimErrorResponses;
import dev.scimsync.gateway.scim.ScimException;
import dev.scimsync.gateway.troubleshooting.Misconfigurations;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
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
 *
 * <p>Failed authentications are counted ({@link AuthFailures}): a client address blocked after repeated
 * failures is answered 429 before anything else, and so is a failing presentation of a blocked token id. A
 * failure for a token id the gateway knows (live with a wrong secret, or revoked - typically an IdP still sending
 * a rotated token) counts against that id only, not against the address: IdPs send from address ranges many
 * tenants share, and one tenant's stale token must not block the others. Every other failure (no token, not a
 * SCIM token, an id nobody issued) counts against the address, and against the id when there is one.
 *
 * <p>Every failure is also counted for the admin's troubleshooting page ({@link Misconfigurations}): for the
 * token's connection when its id is known, else for no connection, by reason; and so is every request of a
 * connection whose SCIM is off, with the resource it names (a deactivation refused so is an access not taken away).
 */
public class ScimAuthenticationFilter {

    private final TokenVerifier tokens;
    private final TokenUsage usage;
    private final ScimCaller caller;
    private final RateLimits rateLimits;
    private final AuthFailures failures;
    private final ScimCredentialCache credentials;
    private final Misconfigurations misconfigurations;
    private final Duration refusalDelay;

    public ScimAuthenticationFilter(TokenVerifier tokens, TokenUsage usage, ScimCaller caller, RateLimits rateLimits,
            AuthFailures failures, ScimCredentialCache credentials, Misconfigurations misconfigurations,
            @ConfigProperty(name = "scim.rate-limit.refusal-delay") Duration refusalDelay) {
        this.tokens = tokens;
        this.usage = usage;
        this.caller = caller;
        this.rateLimits = rateLimits;
        this.failures = failures;
        this.credentials = credentials;
        this.misconfigurations = misconfigurations;
        this.refusalDelay = refusalDelay;
    }

    @ServerRequestFilter
    public Uni<Response> authenticate(ContainerRequestContext request, HttpServerRequest http) {
        if (!request.getUriInfo().getPath().startsWith("/scim/")) {
            return null;
        }
        String address = AuthFailures.addressKey(http);
        var addressBlock = failures.blocked(address);
        if (addressBlock.isPresent()) {
            return held(ScimException.tooManyRequests("too many failed authentications from this address; retry after "
                    + addressBlock.getAsInt() + " s", addressBlock.getAsInt()), addressBlock.getAsInt());
        }
        var token = BearerTokens.from(request.getHeaderString(HttpHeaders.AUTHORIZATION));
        if (token.isEmpty()) {
            failures.failed(address);
            misconfigurations.unattributedFailure(TroubleshootingReport.MISSING);
            return Uni.createFrom().item(ScimErrorResponses.of(ScimException.unauthorized(
                    "missing bearer token: send 'Authorization: Bearer <SCIM token of the connection>'")));
        }
        var early = rateLimits.refuseEarly(token.get());
        if (early.isPresent()) {
            return overLimit(early.get().connectionName(), early.get().retryAfterSeconds());
        }
        ScimCaller thisRequest = caller.ofThisRequest();
        return tokens.verify(token.get()).onItem().transformToUni(verified -> {
            if (!verified.scimEnabled()) {
                misconfigurations.refusedWhileScimOff(verified.connectionId(), request.getMethod(),
                        request.getUriInfo().getPath());
                return refuse(ScimException.forbidden(
                        "SCIM is not enabled for connection '" + verified.connectionName() + "'; enable it in the admin console"));
            }
            var wait = rateLimits.acquire(verified.tokenId(),
                    new RateLimits.KnownConnection(verified.connectionId(), verified.connectionName()));
            if (wait.isPresent()) {
                return overLimit(verified.connectionName(), wait.getAsInt());
            }
            thisRequest.authenticated(verified.connectionId(), verified.tokenId());
            usage.used(verified.tokenId());
            return Uni.createFrom().<Response>nullItem();
        }).onFailure().recoverWithUni(failure -> {
            if (failure instanceof ScimException refusal && refusal.status() == 401) {
                return notAuthenticated(refusal, address, token.get());
            }
            return refuse(failure instanceof ScimException refusal
                    ? refusal : ScimException.unavailable("the token could not be checked right now", 5));
        });
    }

    /**
     * A token that did not verify: counted, for the admin too ({@link Misconfigurations}: for the token's connection
     * when the id is known), and answered 429 instead of 401 while its id is blocked.
     */
    private Uni<Response> notAuthenticated(ScimException refusal, String address, String token) {
        var presented = ScimTokens.parse(token);
        if (presented.isEmpty()) {
            failures.failed(address);
            misconfigurations.unattributedFailure(TroubleshootingReport.MALFORMED);
            return refuse(refusal);
        }
        var credential = credentials.find(presented.get().id());
        var known = credential.filter(state -> state.connectionId() != null);
        if (known.isPresent()) {
            misconfigurations.failedAuthentication(known.get().connectionId(), presented.get().id(),
                    known.get().revoked() ? Misconfigurations.REVOKED : Misconfigurations.WRONG_SECRET);
        } else {
            misconfigurations.unattributedFailure(TroubleshootingReport.UNKNOWN_TOKEN);
        }
        String tokenKey = AuthFailures.tokenKey(presented.get().id());
        var idBlock = failures.blocked(tokenKey);
        if (idBlock.isPresent()) {
            return held(ScimException.tooManyRequests("too many failed authentications with token id "
                    + presented.get().id() + "; retry after " + idBlock.getAsInt() + " s", idBlock.getAsInt()),
                    idBlock.getAsInt());
        }
        if (credential.isPresent()) {
            failures.failed(tokenKey);
        } else {
            failures.failed(tokenKey, address);
        }
        return refuse(refusal);
    }

    private static Uni<Response> refuse(ScimException error) {
        return Uni.createFrom().item(ScimErrorResponses.of(error));
    }

    private Uni<Response> overLimit(String connectionName, int retryAfterSeconds) {
        return held(ScimException.tooManyRequests("connection '" + connectionName
                + "' is over its rate limit (scim.rate-limit); retry after " + retryAfterSeconds + " s",
                retryAfterSeconds), retryAfterSeconds);
    }

    /** A 429, answered after the refusal delay. */
    private Uni<Response> held(ScimException tooManyRequests, int retryAfterSeconds) {
        Uni<Response> refusal = refuse(tooManyRequests);
        // Never held longer than the client was told to wait.
        Duration hold = refusalDelay.compareTo(Duration.ofSeconds(retryAfterSeconds)) < 0
                ? refusalDelay : Duration.ofSeconds(retryAfterSeconds);
        return hold.isZero() ? refusal : refusal.onItem().delayIt().by(hold);
    }
}
