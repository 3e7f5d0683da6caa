package dev.scimsync.gateway.auth;

import dev.scimsync.gateway.membership.MembershipClient;
import dev.scimsync.gateway.scim.ScimErrorResponses;
import dev.scimsync.gateway.scim.ScimException;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Authenticates every SCIM request with the connection's bearer token, asking membership-service (which
 * owns the tokens) each time, so a revoked token stops working at once; then holds the connection to its
 * rate limit. A connection already over its limit is refused before the token check (see {@link RateLimits}).
 */
public class ScimAuthenticationFilter {

    private static final java.time.Duration TOKEN_CHECK_TIMEOUT = java.time.Duration.ofSeconds(3);

    private final MembershipClient membership;
    private final ScimCaller caller;
    private final RateLimits rateLimits;

    public ScimAuthenticationFilter(@RestClient MembershipClient membership, ScimCaller caller,
            RateLimits rateLimits) {
        this.membership = membership;
        this.caller = caller;
        this.rateLimits = rateLimits;
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
            return Uni.createFrom().item(overLimit(early.get().connectionName(), early.get().retryAfterSeconds()));
        }
        // A token check is a few milliseconds; one that takes seconds means membership-service or its database
        // is in trouble, and the IdP is better told to retry than kept waiting.
        return Uni.createFrom().deferred(() -> membership.verifyToken(new MembershipClient.TokenVerification(token.get())))
                .ifNoItem().after(TOKEN_CHECK_TIMEOUT).fail().map(answer -> {
            if (answer.getStatus() == 401) {
                return ScimErrorResponses.of(ScimException.unauthorized("the bearer token is not valid (unknown or revoked)"));
            }
            if (answer.getStatus() != 200) {
                return ScimErrorResponses.of(ScimException.unavailable(
                        "the token could not be checked right now (membership-service answered " + answer.getStatus() + ")", 5));
            }
            var verified = answer.readEntity(MembershipClient.VerifiedToken.class);
            if (!verified.scimEnabled()) {
                return ScimErrorResponses.of(ScimException.forbidden(
                        "SCIM is not enabled for connection '" + verified.connectionName() + "'; enable it in the admin console"));
            }
            var wait = rateLimits.acquire(verified.tokenId(),
                    new RateLimits.KnownConnection(verified.connectionId(), verified.connectionName()));
            if (wait.isPresent()) {
                return overLimit(verified.connectionName(), wait.getAsInt());
            }
            caller.authenticated(verified.connectionId(), verified.tokenId());
            return null;
        }).onFailure().recoverWithItem(failure -> ScimErrorResponses.of(ScimException.unavailable(
                "the token could not be checked right now: membership-service did not answer in time", 5)));
    }

    private static Response overLimit(String connectionName, int retryAfterSeconds) {
        return ScimErrorResponses.of(ScimException.tooManyRequests("connection '" + connectionName
                + "' is over its rate limit (scim.rate-limit); retry after " + retryAfterSeconds + " s",
                retryAfterSeconds));
    }
}
