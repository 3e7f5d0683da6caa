package dev.scimsync.gateway.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.stream.Collectors;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A seeded fuzzer: thousands of malformed and half-valid requests to every SCIM endpoint - broken JSON, wrong
 * types, deep nesting, huge strings, bad UTF-8, wrong content types, garbage filters and PATCH paths. Every
 * answer must be below 500 (or a 503 with Retry-After: a command not answered in time), and every error a
 * SCIM error body. A failure prints the seed and the request, so it can be replayed.
 */
@QuarkusTest
@TestProfile(MalformedRequestsFuzzTest.ShortOutcomeWait.class)
@QuarkusTestResource(value = GatewayTestInfrastructure.class, restrictToAnnotatedClass = true)
class MalformedRequestsFuzzTest {

    /** Commands the fake services do not answer (a PUT of an unknown user) give up quickly. */
    public static class ShortOutcomeWait implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("scim.outcome-timeout", "PT0.3S");
        }
    }

    private static final long SEED = Long.getLong("fuzz.seed", 20261128L);
    /** 3,000 in the build (about a minute and a half here); -Dfuzz.requests=10000 and more for a longer run. */
    private static final int REQUESTS = Integer.getInteger("fuzz.requests", 3_000);
    private static final String USER = """
            {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"u@example.com","active":true,\
            "name":{"givenName":"Ada"},"emails":[{"value":"u@example.com","primary":true}],\
            "urn:ietf:params:scim:schemas:extension:docker:2.0:User":{"dockerRole":"member"}}""";
    private static final String GROUP = """
            {"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"acme:web",\
            "members":[{"value":"2819c223-7f76-453a-919d-413861904646"}]}""";
    private static final String PATCH = """
            {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[\
            {"op":"replace","path":"active","value":false},\
            {"op":"add","path":"members","value":[{"value":"2819c223-7f76-453a-919d-413861904646"}]},\
            {"op":"remove","path":"emails[type eq \\"work\\"]"}]}""";
    private static final String[] FILTERS = {"userName eq \"a\"", "displayName co \"x\"", "(a eq 1", "userName",
            "emails[type eq \"work\"].value sw \"a\"", "meta.lastModified gt \"not-a-date\"", "not (active eq true)",
            "members[value eq \"x\"]", "userName eq", "x eq \"\\u0000\"", "a.b.c.d eq 1", "userName gt true",
            "urn:ietf:params:scim:schemas:core:2.0:User:userName eq \"a\"", "title pr or title pr and", ""};
    private static final String[] TOKENS = {"{", "}", "[", "]", ":", ",", "\"", "\\", "null", "true", "1e999",
            "-0", "\"\\ud800\"", "[[[[", "}}}}", "\u0000", "\"schemas\"", "\"Operations\"", "\"op\"", "\"path\""};

    private final Random random = new Random(SEED);

    @Test
    void noMalformedRequestGetsAServerErrorOrANonScimError() throws Exception {
        // A plain HTTP client: fast enough for ten thousand requests, and it sends paths exactly as given.
        HttpClient http = HttpClient.newHttpClient();
        URI base = URI.create("http://localhost:" + io.restassured.RestAssured.port);
        ObjectMapper json = new ObjectMapper();
        Map<Integer, Integer> statuses = new TreeMap<>();
        long heapAfterWarmUp = 0;
        for (int i = 0; i < REQUESTS; i++) {
            if (i == REQUESTS / 10) {
                heapAfterWarmUp = usedHeapAfterGc();
            }
            Request request = next();
            HttpResponse<byte[]> answer = http.send(request.build(base), HttpResponse.BodyHandlers.ofByteArray());
            int status = answer.statusCode();
            statuses.merge(status, 1, Integer::sum);
            String context = "seed " + SEED + ", request " + i + ": " + request;
            String text = new String(answer.body(), StandardCharsets.UTF_8);
            assertTrue(status < 500 || status == 503 && answer.headers().firstValue("Retry-After").isPresent(),
                    () -> context + " answered " + status + ": " + text);
            if (status >= 400) {
                String type = answer.headers().firstValue("Content-Type").orElse("");
                assertTrue(type.startsWith("application/scim+json"), () -> context + " -> " + status + " " + type
                        + ": " + text);
                JsonNode error = readJson(json, answer.body(), context);
                assertEquals(String.valueOf(status), error.path("status").asText(), context);
            }
        }
        long heapAtEnd = usedHeapAfterGc();
        System.out.println("[fuzz] " + REQUESTS + " requests, seed " + SEED + ", statuses " + statuses
                + ", heap in use after GC: " + heapAfterWarmUp / 1_048_576 + " MB after a tenth, "
                + heapAtEnd / 1_048_576 + " MB at the end");
        // The gateway runs in this JVM: what the bad requests leave behind would show here.
        assertTrue(heapAtEnd < heapAfterWarmUp + 64L * 1_048_576, "memory stays flat: " + heapAfterWarmUp / 1_048_576
                + " MB -> " + heapAtEnd / 1_048_576 + " MB");
        assertTrue(statuses.keySet().stream().anyMatch(s -> s >= 400), "the fuzzer reached the error paths");
        assertTrue(statuses.keySet().stream().anyMatch(s -> s < 300), "the fuzzer reached the valid paths");
    }

    private static long usedHeapAfterGc() {
        System.gc();
        Runtime runtime = Runtime.getRuntime();
        return runtime.totalMemory() - runtime.freeMemory();
    }

    private static JsonNode readJson(ObjectMapper json, byte[] body, String context) {
        try {
            return json.readTree(body);
        } catch (IOException e) {
            throw new AssertionError(context + ": the error body is not JSON", e);
        }
    }

    private record Request(String method, String path, Map<String, String> query, String contentType, byte[] body) {
        HttpRequest build(URI base) {
            String queryString = query.entrySet().stream()
                    .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                    .collect(Collectors.joining("&"));
            HttpRequest.Builder builder = HttpRequest.newBuilder(base.resolve(path + (queryString.isEmpty() ? ""
                            : "?" + queryString)))
                    .header("Authorization", "Bearer " + GatewayTestInfrastructure.TOKEN)
                    // A request that hangs is a failure too.
                    .timeout(java.time.Duration.ofSeconds(30))
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofByteArray(body));
            if (contentType != null) {
                builder.header("Content-Type", contentType);
            }
            return builder.build();
        }

        @Override
        public String toString() {
            String text = body == null ? "" : new String(body, StandardCharsets.UTF_8);
            return method + " " + path + " " + query + " [" + contentType + "] "
                    + (text.length() > 300 ? text.substring(0, 300) + "..." : text);
        }
    }

    private Request next() {
        String resource = random.nextBoolean() ? "Users" : "Groups";
        String id = random.nextInt(4) == 0 ? URLEncoder.encode(garbage(12), StandardCharsets.UTF_8).replace("+", "%20")
                : UUID.randomUUID().toString();
        switch (random.nextInt(7)) {
            case 0:
                return new Request("POST", "/scim/v2/" + resource, Map.of(), contentType(),
                        mutate(resource.equals("Users") ? USER : GROUP));
            case 1:
                return new Request("PUT", "/scim/v2/" + resource + "/" + id, Map.of(), contentType(),
                        mutate(resource.equals("Users") ? USER : GROUP));
            case 2:
                return new Request("PATCH", "/scim/v2/" + resource + "/" + id, Map.of(), contentType(), mutate(PATCH));
            case 3:
                return new Request("POST", "/scim/v2/" + resource + "/.search", Map.of(), contentType(),
                        mutate("{\"filter\":\"" + FILTERS[random.nextInt(FILTERS.length)].replace("\"", "\\\"")
                                + "\",\"startIndex\":1,\"count\":10}"));
            case 4:
                return new Request("GET", "/scim/v2/" + resource + "/" + id, query(), null, null);
            case 5:
                return new Request("DELETE", "/scim/v2/" + resource + "/" + id, Map.of(), null, null);
            default:
                return new Request("GET", "/scim/v2/" + resource, query(), null, null);
        }
    }

    private Map<String, String> query() {
        Map<String, String> query = new TreeMap<>();
        if (random.nextBoolean()) {
            query.put("filter", random.nextInt(3) == 0 ? garbage(20) : FILTERS[random.nextInt(FILTERS.length)]);
        }
        if (random.nextInt(3) == 0) {
            query.put("startIndex", random.nextBoolean() ? "-" + random.nextInt(5) : garbage(3));
        }
        if (random.nextInt(3) == 0) {
            query.put("count", String.valueOf(random.nextInt(100_000) - 10));
        }
        if (random.nextInt(3) == 0) {
            query.put(random.nextBoolean() ? "attributes" : "excludedAttributes",
                    random.nextBoolean() ? "members,userName,emails.value" : garbage(10));
        }
        if (random.nextInt(4) == 0) {
            query.put("sortBy", random.nextBoolean() ? "displayName" : garbage(8));
            query.put("sortOrder", random.nextBoolean() ? "descending" : garbage(4));
        }
        return query;
    }

    private String contentType() {
        int pick = random.nextInt(20);
        return pick == 0 ? "text/plain" : pick == 1 ? "application/xml" : pick == 2 ? null
                : pick < 10 ? "application/json" : "application/scim+json";
    }

    /** A valid document, broken in one of many ways (or left whole, so the valid paths run too). */
    private byte[] mutate(String valid) {
        switch (random.nextInt(10)) {
            case 0:
                return valid.getBytes(StandardCharsets.UTF_8);
            case 1: {
                int cut = random.nextInt(valid.length());
                return valid.substring(0, cut).getBytes(StandardCharsets.UTF_8);
            }
            case 2: {
                StringBuilder text = new StringBuilder(valid);
                for (int i = 0; i < 1 + random.nextInt(5); i++) {
                    text.insert(random.nextInt(text.length()), TOKENS[random.nextInt(TOKENS.length)]);
                }
                return text.toString().getBytes(StandardCharsets.UTF_8);
            }
            case 3:
                // A string, number, array, object, boolean or null where the schema wants something else.
                return valid.replaceFirst(":(\"[^\"]*\"|true|false|\\[[^\\]]*\\])",
                        ":" + List.of("42", "[]", "{}", "null", "true", "\"\"", "[{\"a\":1}]", "-1.5e3")
                                .get(random.nextInt(8))).getBytes(StandardCharsets.UTF_8);
            case 4: {
                int depth = 1 + random.nextInt(5000);
                return ("[".repeat(depth) + "]".repeat(depth)).getBytes(StandardCharsets.UTF_8);
            }
            case 5:
                return valid.replace("u@example.com", "x".repeat(1 + random.nextInt(200_000)))
                        .replace("acme:web", "y".repeat(1 + random.nextInt(200_000)))
                        .getBytes(StandardCharsets.UTF_8);
            case 6: {
                byte[] bytes = valid.getBytes(StandardCharsets.UTF_8);
                byte[] broken = new byte[bytes.length + 2];
                int at = random.nextInt(bytes.length);
                System.arraycopy(bytes, 0, broken, 0, at);
                broken[at] = (byte) 0xC3;
                broken[at + 1] = (byte) 0x28;
                System.arraycopy(bytes, at, broken, at + 2, bytes.length - at);
                return broken;
            }
            case 7:
                return List.of("", "[]", "1", "null", "\"text\"", "{}", "{\"schemas\":null}")
                        .get(random.nextInt(7)).getBytes(StandardCharsets.UTF_8);
            case 8:
                return valid.replace("\"", random.nextBoolean() ? "'" : "").getBytes(StandardCharsets.UTF_8);
            default: {
                List<String> keys = new ArrayList<>(List.of("userName", "displayName", "members", "Operations", "op",
                        "path", "value", "schemas", "emails", "active"));
                return valid.replace("\"" + keys.get(random.nextInt(keys.size())) + "\"",
                        "\"" + garbage(6) + "\"").getBytes(StandardCharsets.UTF_8);
            }
        }
    }

    private String garbage(int length) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < length; i++) {
            text.append((char) (32 + random.nextInt(95)));
        }
        return text.toString();
    }
}
