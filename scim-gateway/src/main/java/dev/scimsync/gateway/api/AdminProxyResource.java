package dev.scimsync.gateway.api;

import io.vertx.core.http.HttpMethod;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.RestMulti;

/**
 * The admin API (ADMIN_BASE_URL, guarded by the admin tokens), passed through to the service that owns
 * each part as far as the admin's scope reaches, by {@link AdminApiClient}. Answers are streamed, not buffered,
 * so an audit export of any size passes with bounded memory.
 */
@Path("/admin/v1/{path: .+}")
@ApplicationScoped
public class AdminProxyResource {

    private final AdminApiClient admin;

    public AdminProxyResource(AdminApiClient admin) {
        this.admin = admin;
    }

    @GET
    public RestMulti<byte[]> get(@Context UriInfo uri, @Context HttpHeaders headers) {
        return forward(HttpMethod.GET, uri, headers, null);
    }

    @POST
    public RestMulti<byte[]> post(@Context UriInfo uri, @Context HttpHeaders headers, byte[] body) {
        return forward(HttpMethod.POST, uri, headers, body);
    }

    @PUT
    public RestMulti<byte[]> put(@Context UriInfo uri, @Context HttpHeaders headers, byte[] body) {
        return forward(HttpMethod.PUT, uri, headers, body);
    }

    @PATCH
    public RestMulti<byte[]> patch(@Context UriInfo uri, @Context HttpHeaders headers, byte[] body) {
        return forward(HttpMethod.PATCH, uri, headers, body);
    }

    @DELETE
    public RestMulti<byte[]> delete(@Context UriInfo uri, @Context HttpHeaders headers) {
        return forward(HttpMethod.DELETE, uri, headers, null);
    }

    private RestMulti<byte[]> forward(HttpMethod method, UriInfo uri, HttpHeaders headers, byte[] body) {
        return forward(method, uri.getRequestUri().getRawPath().substring("/admin/v1/".length()),
                uri.getRequestUri().getRawQuery(), headers.getHeaderString(HttpHeaders.CONTENT_TYPE), body);
    }

    /**
     * Passes one admin call (path relative to {@code /admin/v1/}, still encoded) to its owner and streams the
     * answer back (see {@link AdminApiClient#call}); the console's downloads use this too.
     */
    public RestMulti<byte[]> forward(HttpMethod method, String rawPath, String query, String contentType, byte[] body) {
        return RestMulti.fromUniResponse(admin.call(method, rawPath, query, contentType, body),
                AdminApiClient.Answer::body, AdminApiClient.Answer::headers, AdminApiClient.Answer::status);
    }
}
