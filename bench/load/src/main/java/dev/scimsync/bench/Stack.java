package dev.scimsync.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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

    Stack(Path envFile) throws IOException {
        Map<String, String> env = new HashMap<>();
        for (String line : Files.readAllLines(envFile)) {
            int equals = line.indexOf('=');
            if (equals > 0) {
                env.put(line.substring(0, equals), line.substring(equals + 1));
            }
        }
        this.scimBaseUrl = env.get("SCIM_BASE_URL");
        this.adminBaseUrl = env.get("ADMIN_BASE_URL");
        this.adminToken = env.get("ADMIN_TOKEN");
        if (scimBaseUrl == null) {
            throw new IllegalStateException(envFile + " has no SCIM_BASE_URL: is the stack started?");
        }
        URI gateway = URI.create(scimBaseUrl);
        this.gatewayPort = gateway.getPort() > 0 ? gateway.getPort() : 80;
        // HTTP/1.1 keeps one request per connection at a time, like the IdPs' clients.
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .executor(Executors.newFixedThreadPool(8, runnable -> {
                    Thread thread = new Thread(runnable, "http");
                    thread.setDaemon(true);
                    return thread;
                })).connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** A SCIM call with a connection's token; completes with the status and the body. */
    CompletableFuture<HttpResponse<String>> scim(String token, String method, String path, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(scimBaseUrl + path))
                .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/scim+json");
        }
        return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> scimNow(String token, String method, String path, String body) {
        return scim(token, method, path, body).join();
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

    static String id(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body()).path("id").asText();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
