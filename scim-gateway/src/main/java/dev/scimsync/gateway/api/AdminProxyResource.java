package dev.scimsync.gateway.api;

import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.HttpRequest;
import io.vertx.mutiny.ext.web.client.WebClient;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The admin API (ADMIN_BASE_URL, guarded by the admin token): passed through as it is to the service
 * that owns it - membership-service for organizations, connections, tokens, members and sign-ins.
 */
@Path("/admin/v1")
@ApplicationScoped
public class AdminProxyResource {

    private final WebClient client;
    private final URI membership;

    public AdminProxyResource(Vertx vertx, @ConfigProperty(name = "quarkus.rest-client.membership.url") URI membership) {
        this.client = WebClient.create(vertx, new WebClientOptions().setConnectTimeout(2000).setIdleTimeout(30));
        this.membership = membership;
    }

    @PreDestroy
    void close() {
        client.close();
    }

    @GET
    @Path("/{path: .+}")
    public Uni<Response> get(@PathParam("path") String path, @Context UriInfo uri, @Context HttpHeaders headers) {
        return forward(HttpMethod.GET, path, uri, headers, null);
    }

    @POST
    @Path("/{path: .+}")
    public Uni<Response> post(@PathParam("path") String path, @Context UriInfo uri, @Context HttpHeaders headers,
            byte[] body) {
        return forward(HttpMethod.POST, path, uri, headers, body);
    }

    @PUT
    @Path("/{path: .+}")
    public Uni<Response> put(@PathParam("path") String path, @Context UriInfo uri, @Context HttpHeaders headers,
            byte[] body) {
        return forward(HttpMethod.PUT, path, uri, headers, body);
    }

    @PATCH
    @Path("/{path: .+}")
    public Uni<Response> patch(@PathParam("path") String path, @Context UriInfo uri, @Context HttpHeaders headers,
            byte[] body) {
        return forward(HttpMethod.PATCH, path, uri, headers, body);
    }

    @DELETE
    @Path("/{path: .+}")
    public Uni<Response> delete(@PathParam("path") String path, @Context UriInfo uri, @Context HttpHeaders headers) {
        return forward(HttpMethod.DELETE, path, uri, headers, null);
    }

    private Uni<Response> forward(HttpMethod method, String path, UriInfo uri, HttpHeaders headers, byte[] body) {
        String query = uri.getRequestUri().getRawQuery();
        String target = "/internal/v1/admin/" + uri.getRequestUri().getRawPath().substring("/admin/v1/".length())
                + (query == null ? "" : "?" + query);
        HttpRequest<Buffer> request = client.request(method, membership.getPort() < 0 ? 80 : membership.getPort(),
                membership.getHost(), target).timeout(30_000);
        String contentType = headers.getHeaderString(HttpHeaders.CONTENT_TYPE);
        if (contentType != null) {
            request.putHeader(HttpHeaders.CONTENT_TYPE, contentType);
        }
        Uni<io.vertx.mutiny.ext.web.client.HttpResponse<Buffer>> sent = body == null || body.length == 0
                ? request.send() : request.sendBuffer(Buffer.buffer(body));
        return sent.map(answer -> {
            Response.ResponseBuilder response = Response.status(answer.statusCode());
            for (String header : new String[] {HttpHeaders.CONTENT_TYPE, "Content-Disposition"}) {
                if (answer.getHeader(header) != null) {
                    response.header(header, answer.getHeader(header));
                }
            }
            Buffer content = answer.body();
            return response.entity(content == null ? null : content.getBytes()).build();
        }).onFailure().recoverWithItem(failure -> Response.status(503).type("application/json")
                .entity(Map.of("status", 503, "detail", "membership-service is unreachable: " + failure.getMessage()))
                .build());
    }
}
