package dev.scimsync.gateway.auth;

import dev.scimsync.contracts.internal.Problem;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Optional;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * The admin API takes the operator's admin token ({@code ADMIN_TOKEN}) or an organization's admin token
 * ({@link AdminTokens}); what the admin may reach is decided per call ({@link AdminScope}). A client address that
 * keeps presenting wrong tokens is blocked for a while ({@link AuthFailures}): 429 with Retry-After, whatever it
 * presents. A scoped token that does not verify also counts against its id, and while that id is blocked its
 * failing presentations are answered 429 - from any address; its right secret still passes (the id is public, so
 * refusing the right secret would let anyone who saw it lock the tenant's admin out).
 */
public class AdminAuthenticationFilter {

    private static final Logger LOG = Logger.getLogger(AdminAuthenticationFilter.class);

    private final AdminTokens adminTokens;
    private final AuthFailures failures;
    private final AdminCaller caller;

    public AdminAuthenticationFilter(AdminTokens adminTokens, AuthFailures failures, AdminCaller caller) {
        this.adminTokens = adminTokens;
        this.failures = failures;
        this.caller = caller;
    }

    @ServerRequestFilter
    public Uni<Response> authenticate(ContainerRequestContext request, HttpServerRequest http) {
        if (!request.getUriInfo().getPath().startsWith("/admin/")) {
            return null;
        }
        String address = AuthFailures.addressKey(http);
        var blocked = failures.blocked(address);
        if (blocked.isPresent()) {
            return Uni.createFrom().item(tooMany("too many failed authentications from this address",
                    blocked.getAsInt()));
        }
        Optional<String> token = BearerTokens.from(request.getHeaderString(HttpHeaders.AUTHORIZATION));
        if (token.isEmpty()) {
            failures.failed(address);
            return Uni.createFrom().item(notAuthenticated());
        }
        AdminCaller thisRequest = caller.ofThisRequest();
        return adminTokens.identify(token.get()).map(admin -> {
            if (admin.isPresent()) {
                thisRequest.authenticated(admin.get(), AdminCaller.Via.API, http);
                return (Response) null;
            }
            var idBlock = failures.adminTokenFailed(address, token.get());
            return idBlock.isPresent() ? tooMany("too many failed authentications with this admin token id",
                    idBlock.getAsInt()) : notAuthenticated();
        }).onFailure(AdminTokens.CheckUnavailable.class).recoverWithItem(failure -> {
            LOG.warnf("admin API: %s", failure.getMessage());
            return json(503, "the admin token could not be checked right now; retry shortly")
                    .header(HttpHeaders.RETRY_AFTER, 5).build();
        });
    }

    private static Response tooMany(String why, int retryAfterSeconds) {
        return json(429, why + "; retry after " + retryAfterSeconds + " s")
                .header(HttpHeaders.RETRY_AFTER, retryAfterSeconds).build();
    }

    private static Response notAuthenticated() {
        return json(401, "send 'Authorization: Bearer <ADMIN_TOKEN or an organization's admin token>'")
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"admin\"").build();
    }

    private static Response.ResponseBuilder json(int status, String detail) {
        return Response.status(status).type(MediaType.APPLICATION_JSON)
                .entity(new Problem(status, detail));
    }
}
