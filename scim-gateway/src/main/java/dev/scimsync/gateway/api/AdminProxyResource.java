package dev.scimsync.gateway.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.scimsync.gateway.auth.AdminCaller;
import dev.scimsync.gateway.auth.AdminScope;
import dev.scimsync.serviceauth.ServiceTokens;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.core.http.HttpClient;
import io.vertx.mutiny.core.http.HttpClientResponse;
import jakarta.annotation.PreDestroy;
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
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jboss.resteasy.reactive.RestMulti;

/**
 * The admin API (ADMIN_BASE_URL, guarded by the admin tokens), passed through to the service that owns
 * each part ({@link AdminRoutes}) as far as the admin's scope reaches ({@link AdminScope}). Answers are
 * streamed, not buffered, so an audit export of any size passes with bounded memory.
 */
@Path("/admin/v1/{path: .+}")
@ApplicationScoped
public class AdminProxyResource {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> FORWARDED_HEADERS = List.of(HttpHeaders.CONTENT_TYPE, "Content-Disposition");

    private final HttpClient client;
    private final AdminRoutes routes;
    private final AdminActions audit;
    private final ServiceTokens credentials;
    private final AdminAccess access;
    private final AdminCaller caller;

    public AdminProxyResource(Vertx vertx, AdminRoutes routes, AdminActions audit, ServiceTokens credentials,
            AdminAccess access, AdminCaller caller) {
        this.client = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout(2000));
        this.routes = routes;
        this.audit = audit;
        this.credentials = credentials;
        this.access = access;
        this.caller = caller;
    }

    @PreDestroy
    void close() {
        client.closeAndAwait();
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

    /**
     * An answer from the owning service, or a 503 of our own when it cannot be reached; its Location (internal,
     * never passed on) is for the audit record.
     */
    private record Answer(int status, Map<String, List<String>> headers, Multi<byte[]> body, String location) {
    }

    private RestMulti<byte[]> forward(HttpMethod method, UriInfo uri, HttpHeaders headers, byte[] body) {
        return forward(method, uri.getRequestUri().getRawPath().substring("/admin/v1/".length()),
                uri.getRequestUri().getRawQuery(), headers.getHeaderString(HttpHeaders.CONTENT_TYPE), body);
    }

    /**
     * Passes one admin call (path relative to {@code /admin/v1/}, still encoded) to its owner and streams the
     * answer back, if the admin's scope reaches it ({@link AdminAccess}; else 403 with the reason); the console's
     * downloads use this too. A write is audited once it is answered, a refused one included.
     */
    public RestMulti<byte[]> forward(HttpMethod method, String rawPath, String query, String contentType, byte[] body) {
        var pending = audit.begin(method, rawPath, query);
        AdminScope scope = caller.origin().map(AdminCaller.Origin::scope).orElseThrow(() -> new IllegalStateException(
                "an admin call outside an authenticated admin request"));
        Uni<Answer> answer = access.check(scope, method.name(), rawPath, query, body)
                .chain(decision -> decision instanceof AdminScope.Allowed allowed
                        ? send(method, rawPath, allowed.rawQuery(), contentType, body)
                        : Uni.createFrom().item(refused((AdminScope.Refused) decision)))
                .invoke(answered -> pending.ifPresent(
                        action -> action.answered(answered.status(), answered.location())));
        return RestMulti.fromUniResponse(answer, Answer::body, Answer::headers, Answer::status);
    }

    private Uni<Answer> send(HttpMethod method, String rawPath, String query, String contentType, byte[] body) {
        URI target = routes.owner(rawPath);
        RequestOptions options = new RequestOptions().setMethod(method).setHost(target.getHost())
                .setPort(target.getPort()).setURI(AdminRoutes.internalUri(rawPath, query))
                .setTimeout(60_000)
                .putHeader(HttpHeaders.AUTHORIZATION, credentials.authorization(routes.ownerService(rawPath)));
        if (contentType != null) {
            options.putHeader(HttpHeaders.CONTENT_TYPE, contentType);
        }
        return client.request(options)
                .chain(request -> body == null || body.length == 0 ? request.send() : request.send(Buffer.buffer(body)))
                .map(AdminProxyResource::answer)
                .onFailure().recoverWithItem(failure -> unavailable(target, failure));
    }

    private static Answer answer(HttpClientResponse response) {
        Map<String, List<String>> headers = new HashMap<>();
        for (String name : FORWARDED_HEADERS) {
            String value = response.getHeader(name);
            if (value != null) {
                headers.put(name, List.of(value));
            }
        }
        return new Answer(response.statusCode(), headers, response.toMulti().map(Buffer::getBytes),
                response.getHeader(HttpHeaders.LOCATION));
    }

    private static Answer unavailable(URI target, Throwable failure) {
        return jsonAnswer(503, target.getHost() + ":" + target.getPort() + " is unreachable");
    }

    private static Answer refused(AdminScope.Refused refused) {
        return jsonAnswer(refused.status(), refused.detail());
    }

    private static Answer jsonAnswer(int status, String detail) {
        byte[] body;
        try {
            body = JSON.writeValueAsBytes(Map.of("status", status, "detail", detail));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a map of a number and a string is JSON", e);
        }
        return new Answer(status, Map.of(HttpHeaders.CONTENT_TYPE, List.of("application/json")),
                Multi.createFrom().item(body), null);
    }
}
