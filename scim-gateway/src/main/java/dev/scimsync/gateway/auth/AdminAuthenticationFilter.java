package dev.scimsync.gateway.auth;

import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import java.util.Optional;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * The admin API takes the operator's admin token ({@code ADMIN_TOKEN}); without one configured it is closed.
 * A client address that keeps presenting wrong tokens is blocked for a while ({@link AuthFailures}): 429 with
 * Retry-After, whatever it presents.
 */
public class AdminAuthenticationFilter {

    private final AdminTokens adminTokens;
    private final AuthFailures failures;
    private final AdminCaller caller;

    public AdminAuthenticationFilter(AdminTokens adminTokens, AuthFailures failures, AdminCaller caller) {
        this.adminTokens = adminTokens;
        this.failures = failures;
        this.caller = caller;
    }

    @ServerRequestFilter
    public Response authenticate(ContainerRequestContext request, HttpServerRequest http) {
        if (!request.getUriInfo().getPath().startsWith("/admin/")) {
            return null;
        }
        String address = AuthFailures.addressKey(http);
        var blocked = failures.blocked(address);
        if (blocked.isPresent()) {
            return Response.status(429).header(HttpHeaders.RETRY_AFTER, blocked.getAsInt())
                    .type(MediaType.APPLICATION_JSON)
                    .entity(Map.of("status", 429, "detail", "too many failed authentications from this address; "
                            + "retry after " + blocked.getAsInt() + " s"))
                    .build();
        }
        Optional<AdminTokens.Admin> admin = BearerTokens.from(request.getHeaderString(HttpHeaders.AUTHORIZATION))
                .flatMap(adminTokens::identify);
        if (admin.isPresent()) {
            caller.authenticated(admin.get().name(), AdminCaller.Via.API, http);
            return null;
        }
        failures.failed(address);
        return Response.status(Response.Status.UNAUTHORIZED)
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"admin\"")
                .type(MediaType.APPLICATION_JSON)
                .entity(Map.of("status", 401, "detail", "send 'Authorization: Bearer <ADMIN_TOKEN>'"))
                .build();
    }
}
