package dev.scimsync.gateway.console;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.JsonNode;
import dev.scimsync.gateway.api.AdminAccess;
import dev.scimsync.gateway.api.AdminActions;
import dev.scimsync.gateway.api.AdminRoutes;
import dev.scimsync.gateway.auth.AdminCaller;
import dev.scimsync.gateway.auth.AdminScope;
import dev.scimsync.serviceauth.ServiceTokens;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.core.http.HttpClient;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;

/**
 * The console's client of the admin API: the same paths and owners as {@code /admin/v1} (through
 * {@link AdminRoutes}) and the same scope rule ({@link AdminAccess}), answers as plain maps and lists that
 * {@link ConsoleViews} reads for the pages. Writes are audited like the admin API's ({@link AdminActions}).
 */
@ApplicationScoped
public class AdminApi {

    private static final TypeReference<Object> ANY = new TypeReference<>() {
    };

    private final HttpClient client;
    private final AdminRoutes routes;
    private final ObjectMapper json;
    private final AdminActions audit;
    private final ServiceTokens credentials;
    private final AdminAccess access;
    private final AdminCaller caller;

    public AdminApi(Vertx vertx, AdminRoutes routes, ObjectMapper json, AdminActions audit, ServiceTokens credentials,
            AdminAccess access, AdminCaller caller) {
        this.client = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout(2000));
        this.routes = routes;
        this.json = json;
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
     * An admin API answer: its status and its JSON body as maps and lists (null when empty), which
     * {@link ConsoleViews} reads into the pages' view records.
     */
    public record Reply(int status, Object body) {
        public boolean ok() {
            return status >= 200 && status < 300;
        }

        /** What went wrong, in the admin API's words. */
        public String detail() {
            Object detail = body instanceof Map<?, ?> problem ? problem.get("detail") : null;
            return detail != null ? detail.toString() : "the admin API answered " + status;
        }
    }

    public Uni<Reply> get(String path) {
        return call(HttpMethod.GET, path, null);
    }

    public Uni<Reply> post(String path, Object body) {
        return call(HttpMethod.POST, path, body);
    }

    public Uni<Reply> patch(String path, Object body) {
        return call(HttpMethod.PATCH, path, body);
    }

    public Uni<Reply> put(String path, Object body) {
        return call(HttpMethod.PUT, path, body);
    }

    public Uni<Reply> delete(String path) {
        return call(HttpMethod.DELETE, path, null);
    }

    /** {@code path("connections", name, "scim-tokens")}: each segment encoded. */
    public static String path(String... segments) {
        StringJoiner joined = new StringJoiner("/");
        for (String segment : segments) {
            joined.add(encode(segment));
        }
        return joined.toString();
    }

    /** A path with the non-blank parameters as its query. */
    public static String withQuery(String path, Map<String, ?> parameters) {
        String query = query(parameters);
        return query.isEmpty() ? path : path + "?" + query;
    }

    /** The non-blank parameters as an encoded query string (no {@code ?}); empty when there are none. */
    public static String query(Map<String, ?> parameters) {
        List<String> pairs = new ArrayList<>();
        parameters.forEach((name, value) -> {
            if (value != null && !value.toString().isBlank()) {
                pairs.add(encode(name) + "=" + encode(value.toString()));
            }
        });
        return String.join("&", pairs);
    }

    /** Parameters in the order given; {@code Map.of} would shuffle them and refuses nulls. */
    public static Map<String, Object> parameters(Object... namesAndValues) {
        Map<String, Object> parameters = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            parameters.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return parameters;
    }

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** One call, if the signed-in admin's scope reaches it ({@link AdminAccess}); a refusal is a reply too. */
    private Uni<Reply> call(HttpMethod method, String pathAndQuery, Object body) {
        int question = pathAndQuery.indexOf('?');
        String rawPath = question < 0 ? pathAndQuery : pathAndQuery.substring(0, question);
        String query = question < 0 ? null : pathAndQuery.substring(question + 1);
        var pending = audit.begin(method, rawPath, query);
        AdminScope scope = caller.origin().map(AdminCaller.Origin::scope).orElseThrow(() -> new IllegalStateException(
                "an admin call outside a signed-in console request"));
        JsonNode tree = body == null ? null : json.valueToTree(body);
        return access.check(scope, method.name(), rawPath, query, tree).chain(decision -> {
            if (decision instanceof AdminScope.Refused refused) {
                pending.ifPresent(action -> action.answered(refused.status(), null));
                return Uni.createFrom().item(new Reply(refused.status(),
                        Map.of("status", refused.status(), "detail", refused.detail())));
            }
            return send(method, rawPath, ((AdminScope.Allowed) decision).rawQuery(), tree, pending);
        });
    }

    private Uni<Reply> send(HttpMethod method, String rawPath, String query, JsonNode body,
            Optional<AdminActions.Pending> pending) {
        URI owner = routes.owner(rawPath);
        RequestOptions options = new RequestOptions().setMethod(method).setHost(owner.getHost())
                .setPort(owner.getPort()).setURI(AdminRoutes.internalUri(rawPath, query)).setTimeout(30_000)
                .putHeader("Accept", "application/json")
                .putHeader("Authorization", credentials.authorization(routes.ownerService(rawPath)));
        return Uni.createFrom().deferred(() -> {
            Buffer payload = null;
            if (body != null) {
                options.putHeader("Content-Type", "application/json");
                payload = Buffer.buffer(body.toString());
            }
            Buffer sent = payload;
            return client.request(options).chain(request -> sent == null ? request.send() : request.send(sent))
                    .chain(response -> response.body().map(content -> {
                        pending.ifPresent(action -> action.answered(response.statusCode(),
                                response.getHeader("Location")));
                        return new Reply(response.statusCode(), parse(content));
                    }));
        }).onFailure().recoverWithItem(failure -> {
            pending.ifPresent(action -> action.answered(503, null));
            return new Reply(503, Map.of("detail",
                    owner.getHost() + ":" + owner.getPort() + " is unreachable: " + failure.getMessage()));
        });
    }

    private Object parse(Buffer content) {
        if (content.length() == 0) {
            return null;
        }
        try {
            return json.readValue(content.getBytes(), ANY);
        } catch (java.io.IOException e) {
            return Map.of("detail", content.toString(StandardCharsets.UTF_8));
        }
    }
}
