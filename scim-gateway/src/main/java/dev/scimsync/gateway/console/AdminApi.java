package dev.scimsync.gateway.console;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.scimsync.gateway.api.AdminApiClient;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import io.vertx.mutiny.core.buffer.Buffer;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The console's view of the admin API: calls through {@link AdminApiClient} (the same client as the admin API
 * proxy: same owners, scope rule and audit), with the answers read whole, as plain maps and lists for the
 * templates.
 */
@ApplicationScoped
public class AdminApi {

    private static final TypeReference<Object> ANY = new TypeReference<>() {
    };

    private final AdminApiClient client;
    private final ObjectMapper json;

    public AdminApi(AdminApiClient client, ObjectMapper json) {
        this.client = client;
        this.json = json;
    }

    /** An admin API answer: its status and its JSON body as maps and lists (null when empty). */
    public record Reply(int status, Object body) {
        public boolean ok() {
            return status >= 200 && status < 300;
        }

        @SuppressWarnings("unchecked")
        public Map<String, Object> map() {
            return body instanceof Map ? (Map<String, Object>) body : Map.of();
        }

        @SuppressWarnings("unchecked")
        public List<Map<String, Object>> list() {
            return body instanceof List ? (List<Map<String, Object>>) body : List.of();
        }

        /** What went wrong, in the admin API's words. */
        public String detail() {
            Object detail = map().get("detail");
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

    /** One call for the signed-in admin; a refusal or an unreachable owner is a reply too. */
    private Uni<Reply> call(HttpMethod method, String pathAndQuery, Object body) {
        int question = pathAndQuery.indexOf('?');
        String rawPath = question < 0 ? pathAndQuery : pathAndQuery.substring(0, question);
        String query = question < 0 ? null : pathAndQuery.substring(question + 1);
        byte[] content;
        try {
            content = body == null ? null : json.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("an admin API body that is not JSON: " + body, e);
        }
        return client.call(method, rawPath, query, content == null ? null : "application/json", content)
                .chain(answer -> answer.body().collect().in(Buffer::buffer, (all, bytes) -> all.appendBytes(bytes))
                        .map(all -> new Reply(answer.status(), parse(all)))
                        .onFailure().recoverWithItem(failure -> new Reply(503, Map.of("detail",
                                "the admin API's answer was cut off: " + failure.getMessage()))));
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
