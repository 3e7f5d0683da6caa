package dev.scimsync.gateway.auth;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/** The admin API takes the operator's admin token ({@code ADMIN_TOKEN}); without one configured it is closed. */
public class AdminAuthenticationFilter {

    private final Optional<String> adminToken;

    public AdminAuthenticationFilter(@ConfigProperty(name = "admin.token") Optional<String> adminToken) {
        this.adminToken = adminToken.filter(token -> !token.isBlank());
    }

    @ServerRequestFilter
    public Response authenticate(ContainerRequestContext request) {
        if (!request.getUriInfo().getPath().startsWith("/admin/")) {
            return null;
        }
        Optional<String> presented = BearerTokens.from(request.getHeaderString(HttpHeaders.AUTHORIZATION));
        if (adminToken.isPresent() && presented.isPresent() && MessageDigest.isEqual(
                adminToken.get().getBytes(StandardCharsets.UTF_8), presented.get().getBytes(StandardCharsets.UTF_8))) {
            return null;
        }
        return Response.status(Response.Status.UNAUTHORIZED)
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"admin\"")
                .type(MediaType.APPLICATION_JSON)
                .entity(Map.of("status", 401, "detail", "send 'Authorization: Bearer <ADMIN_TOKEN>'"))
                .build();
    }
}
