package dev.scimsync.bench;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;

/** The running local stack as the benchmark sees it: its endpoints (from .stack/stack.env) and HTTP calls. */
final class Stack {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String USER = "urn:ietf:params:scim:schemas:core:2.0:User";
    static final String GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";
    static final String PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

    final String scimBaseUrl;
    final String adminBaseUrl;
    final String adminToken;
    /** The port of SCIM_BASE_URL: the gateway the benchmark drives. */
    final int gatewayPort;
    private final HttpClient http;
    private final io.vertx.core.http.HttpClient scimHttp;
    private final BlockingHttp blocking;
    /** SCIM_BASE_URL's path (e.g. /scim/v2), which every SCIM call's path follows. */
    private final String scimBasePath;

    /** A SCIM answer: its status and body. */
    record Answer(int statusCode, String body) {
    }

    /** The stack a local stack's environment file (.stack/stack.env) describes. */
    static Stack of(Path envFile) throws IOException {
        Map<String, String> env = new HashMap<>();
        for (String line : Files.readAllLines(envFile)) {
            int equals = line.indexOf('=');
            if (equals > 0) {
                env.put(line.substring(0, equals), line.substring(equals + 1));
            }
        }
        if (env.get("SCIM_BASE_URL") == null) {
            throw new IllegalStateException(envFile + " has no SCIM_BASE_URL: is the stack started?");
        }
        return new Stack(env.get("SCIM_BASE_URL"), env.get("ADMIN_BASE_URL"), env.get("ADMIN_TOKEN"));
    }

    /** A SCIM endpoint without an admin API (the shape floor's front). */
    static Stack scimOnly(String scimBaseUrl) {
        return new Stack(scimBaseUrl, null, null);
    }

    private Stack(String scimBaseUrl, String adminBaseUrl, String adminToken) {
        this.scimBaseUrl = scimBaseUrl;
        this.adminBaseUrl = adminBaseUrl;
        this.adminToken = adminToken;
        URI gateway = URI.create(scimBaseUrl);
        this.gatewayPort = gateway.getPort() > 0 ? gateway.getPort() : 80;
        // The admin calls (set-up and counters, a few per run) use the JDK's client.
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .executor(Executors.newFixedThreadPool(2, runnable -> {
                    Thread thread = new Thread(runnable, "http");
                    thread.setDaemon(true);
                    return thread;
                })).connectTimeout(Duration.ofSeconds(5)).build();
        // The load generator's CPU is CPU the stack under test lacks (the JVM compiles with C1 only, bench/load/run).
        // The closed loops (the syncs) call from their client threads on blocking keep-alive connections
        // (BlockingHttp); the open loops, which need answers to arrive on their own, through one Vert.x event loop.
        // Measured beside the stack, the generator's CPU per lookup + create was 1.93 ms with the JDK's client and
        // 1.09 ms with Vert.x (2026-12-01); BlockingHttp against Vert.x: docs/performance.md, 2026-12-03.
        // HTTP/1.1 without pipelining keeps one request per connection at a time, like the IdPs' clients. Its
        // connections are kept however long they idle (keep-alive timeout 0): an open loop that follows a sync would
        // otherwise open new ones while its first requests are due, and measure that as the stack's latency.
        this.scimBasePath = gateway.getRawPath();
        this.blocking = new BlockingHttp(gateway.getHost(), gatewayPort);
        this.scimHttp = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1))
                .createHttpClient(new HttpClientOptions().setDefaultHost(gateway.getHost()).setDefaultPort(gatewayPort)
                        .setKeepAlive(true).setKeepAliveTimeout(0).setConnectTimeout(5000), new PoolOptions().setHttp1MaxSize(1024)
                        .setMaxWaitQueueSize(-1));
    }

    /** A SCIM call with a connection's token; completes with the status and the body. */
    CompletableFuture<Answer> scim(String token, String method, String path, String body) {
        RequestOptions request = new RequestOptions().setMethod(HttpMethod.valueOf(method)).setURI(scimBasePath + path)
                .putHeader("Authorization", "Bearer " + token).setIdleTimeout(60_000);
        if (body != null) {
            request.putHeader("Content-Type", "application/scim+json");
        }
        return scimHttp.request(request)
                .compose(sent -> body == null ? sent.send() : sent.send(body))
                .compose(answer -> answer.body().map(bytes -> new Answer(answer.statusCode(), bytes.toString())))
                .toCompletionStage().toCompletableFuture();
    }

    /** A SCIM call on the calling thread, on its own keep-alive connection; a failed exchange throws. */
    Answer scimNow(String token, String method, String path, String body) {
        return blocking.exchange(method, scimBasePath + path, token, body);
    }

    JsonNode admin(String method, String path, String body) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(adminBaseUrl + path))
                    .header("Authorization", "Bearer " + adminToken).header("Content-Type", "application/json")
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                throw new IllegalStateException(method + " " + path + ": " + response.statusCode() + " " + response.body());
            }
            return response.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A new organization with a SCIM-enabled connection; answers the connection's SCIM token. */
    String tenant(String organization) {
        admin("POST", "/organizations", "{\"name\":\"" + organization + "\"}");
        admin("POST", "/connections", "{\"name\":\"" + organization + "-sso\",\"organizations\":[\"" + organization
                + "\"],\"defaultOrganization\":\"" + organization + "\",\"defaultTeam\":\"everyone\",\"scimEnabled\":true}");
        return admin("POST", "/connections/" + organization + "-sso/scim-tokens", null).path("token").asText();
    }

    static String userBody(String userName, boolean active) {
        return "{\"schemas\":[\"" + USER + "\"],\"userName\":\"" + userName + "\",\"active\":" + active
                + ",\"name\":{\"givenName\":\"Bench\",\"familyName\":\"User\"},\"emails\":[{\"value\":\"" + userName
                + "\",\"primary\":true}]}";
    }

    static String filterPath(String userName) {
        return "/Users?filter=" + URLEncoder.encode("userName eq \"" + userName + "\"", StandardCharsets.UTF_8);
    }

    /**
     * The resource's top-level {@code id}, read as a stream up to it: a whole tree of every created user was a tenth
     * of the generator's samples in the sync; "" when there is none.
     */
    static String id(Answer response) {
        try (JsonParser parser = JSON.getFactory().createParser(response.body())) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return "";
            }
            for (JsonToken token = parser.nextToken(); token == JsonToken.FIELD_NAME; token = parser.nextToken()) {
                String field = parser.currentName();
                parser.nextToken();
                if (field.equals("id") && parser.currentToken().isScalarValue()) {
                    return parser.getText();
                }
                parser.skipChildren();
            }
            return "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
