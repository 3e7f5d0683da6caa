package dev.scimsync.gateway.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.scimsync.contracts.internal.Problem;
import dev.scimsync.gateway.auth.AdminCaller;
import dev.scimsync.gateway.auth.AdminScope;
import dev.scimsync.gateway.scim.RequestBodies;
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
import jakarta.ws.rs.core.HttpHeaders;
import java.io.IOException;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The gateway's one client of the admin API ({@code /admin/v1}): the admin API proxy ({@link AdminProxyResource})
 * and the console ({@code console.AdminApi}) both call through here. A call goes to the service that owns its
 * path ({@link AdminRoutes}) with the gateway's token for that service, as far as the signed-in admin's scope
 * reaches ({@link AdminAccess}; else the refusal is the answer), and a write is audited once it is answered
 * ({@link AdminActions}), a refused one included. The answer's body is streamed, not buffered, so an audit export
 * of any size passes with bounded memory.
 */
@ApplicationScoped
public class AdminApiClient {

    private static final Logger LOG = Logger.getLogger(AdminApiClient.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The owner's headers passed on to the caller; its Location is internal (kept for the audit record only). */
    private static final List<String> FORWARDED_HEADERS = List.of(HttpHeaders.CONTENT_TYPE, "Content-Disposition");
    /** An idle timeout: an export streams for as long as it sends something at least this often. */
    private static final long IDLE_TIMEOUT_MILLIS = 60_000;

    private final HttpClient client;
    private final AdminRoutes routes;
    private final AdminActions audit;
    private final ServiceTokens credentials;
    private final AdminAccess access;
    private final AdminCaller caller;

    public AdminApiClient(Vertx vertx, AdminRoutes routes, AdminActions audit, ServiceTokens credentials,
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

    /**
     * An answer from the owning service, or one of our own: the refusal when the admin's scope does not reach the
     * call, a 503 when the owner cannot be reached. Both of ours have a {@link Problem} body, as the owners'
     * errors do.
     *
     * @param headers  the owner's {@code Content-Type} and {@code Content-Disposition}, when it sent them
     * @param location the owner's Location (an internal URL, never passed on), for the audit record
     */
    public record Answer(int status, Map<String, List<String>> headers, Multi<byte[]> body, String location) {
    }

    /**
     * One admin call (path relative to {@code /admin/v1/}, path and query still encoded) for the admin of the
     * request being handled.
     *
     * @param contentType the body's media type, or null
     * @param body        the body, or null or empty for none
     */
    public Uni<Answer> call(HttpMethod method, String rawPath, String rawQuery, String contentType, byte[] body) {
        var pending = audit.begin(method, rawPath, rawQuery);
        AdminScope scope = caller.origin().map(AdminCaller.Origin::scope).orElseThrow(() -> new IllegalStateException(
                "an admin call outside an authenticated admin or console request"));
        Optional<String> unstorable = unstorable(rawPath, rawQuery, body);
        Uni<AdminScope.Decision> decided = unstorable.isPresent()
                ? Uni.createFrom().item(new AdminScope.Refused(400, unstorable.get()))
                : access.check(scope, method.name(), rawPath, rawQuery, body);
        return decided
                .chain(decision -> {
                    if (decision instanceof AdminScope.Allowed allowed) {
                        return send(method, rawPath, allowed.rawQuery(), contentType, body)
                                .invoke(answered -> pending.ifPresent(
                                        action -> action.answered(answered.status(), answered.location())));
                    }
                    Answer refused = refused((AdminScope.Refused) decision);
                    pending.ifPresent(action -> action.refused(refused.status()));
                    return Uni.createFrom().item(refused);
                });
    }

    /**
     * U+0000 in the path or query ({@code %00}), or text no database holds in a JSON body (see
     * {@link RequestBodies#unstorableText}): a 400 here, where the owner's database would fail on it with a 500. A
     * body that is not JSON is its owner's to refuse.
     */
    private static Optional<String> unstorable(String rawPath, String rawQuery, byte[] body) {
        if (rawPath.contains("%00") || rawQuery != null && rawQuery.contains("%00")) {
            return Optional.of("the request's path or query holds the character U+0000, which no name or value holds");
        }
        if (body == null || body.length == 0) {
            return Optional.empty();
        }
        try {
            return RequestBodies.unstorableText(JSON.readTree(body));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private Uni<Answer> send(HttpMethod method, String rawPath, String query, String contentType, byte[] body) {
        URI target = routes.owner(rawPath);
        RequestOptions options = new RequestOptions().setMethod(method).setHost(target.getHost())
                .setPort(target.getPort()).setURI(AdminRoutes.internalUri(rawPath, query))
                .setTimeout(IDLE_TIMEOUT_MILLIS)
                .putHeader(HttpHeaders.AUTHORIZATION, credentials.authorization(routes.ownerService(rawPath)));
        if (contentType != null) {
            options.putHeader(HttpHeaders.CONTENT_TYPE, contentType);
        }
        return client.request(options)
                .chain(request -> body == null || body.length == 0 ? request.send() : request.send(Buffer.buffer(body)))
                .map(AdminApiClient::answer)
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
        String where = target.getHost() + ":" + target.getPort();
        LOG.warnf("admin API call not answered: %s is unreachable (%s)", where, failure.toString());
        return jsonAnswer(503, where + " is unreachable");
    }

    private static Answer refused(AdminScope.Refused refused) {
        return jsonAnswer(refused.status(), refused.detail());
    }

    private static Answer jsonAnswer(int status, String detail) {
        byte[] body;
        try {
            body = JSON.writeValueAsBytes(new Problem(status, detail));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a number and a string are JSON", e);
        }
        return new Answer(status, Map.of(HttpHeaders.CONTENT_TYPE, List.of("application/json")),
                Multi.createFrom().item(body), null);
    }
}
