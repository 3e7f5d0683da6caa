package dev.scimsync.gateway.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
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
import dev.scimsync.gateway.scim.ScimLimits;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/**
 * A seeded fuzzer: thousands of malformed, half-valid and oversized requests to every SCIM endpoint - broken JSON,
 * wrong types, deep nesting, huge strings, bad UTF-8, wrong content types, garbage filters and PATCH paths, every
 * limited attribute one over its limit and far over it, JSON nested 10,000 deep, arrays of 100,000 entries, huge
 * numbers and keys. No answer may be a 5xx (a 503 would have the IdP retry a bad request for hours), every error
 * must be a SCIM error body (nor may an operation of a Bulk request answer 5xx, or fail without one), and an
 * oversized request must get its own answer: 400 with the scimType and a detail
 * naming the attribute and the limit, or 413 for the request as a whole. A failure prints the seed and the
 * request, so it can be replayed.
 */
@QuarkusTest
@QuarkusTestResource(value = GatewayTestInfrastructure.class, restrictToAnnotatedClass = true)
class MalformedRequestsFuzzTest {

    private static final long SEED = Long.getLong("fuzz.seed", 20261128L);
    /** 10,000 in the build; -Dfuzz.requests=N and -Dfuzz.seed=N for other runs. */
    private static final int REQUESTS = Integer.getInteger("fuzz.requests", 10_000);
    private static final String SCIM = "application/scim+json";
    private static final String ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
    private static final String ROLE_MAPPING = "urn:ietf:params:scim:schemas:extension:docker:2.0:User";
    private static final String PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
    /** The longest value an oversized request carries: its body stays below the body limit. */
    private static final int FAR_OVER = 2_000_000;
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
    /** Every method on both endpoints, with bulkId references in a path and in members. */
    private static final String BULK = """
            {"schemas":["urn:ietf:params:scim:api:messages:2.0:BulkRequest"],"failOnErrors":3,"Operations":[\
            {"method":"POST","path":"/Users","bulkId":"u","data":%s},\
            {"method":"POST","path":"/Groups","bulkId":"g","data":{"displayName":"acme:web","members":[{"value":"bulkId:u"}]}},\
            {"method":"PATCH","path":"/Users/bulkId:u","version":"W/\\"1\\"","data":%s},\
            {"method":"PUT","path":"/Groups/bulkId:g","data":%s},\
            {"method":"DELETE","path":"/Groups/bulkId:g"}]}""".formatted(USER, PATCH, GROUP);
    private static final String[] FILTERS = {"userName eq \"a\"", "displayName co \"x\"", "(a eq 1", "userName",
            "emails[type eq \"work\"].value sw \"a\"", "meta.lastModified gt \"not-a-date\"", "not (active eq true)",
            "members[value eq \"x\"]", "userName eq", "x eq \"\\u0000\"", "a.b.c.d eq 1", "userName gt true",
            "urn:ietf:params:scim:schemas:core:2.0:User:userName eq \"a\"", "title pr or title pr and", ""};
    private static final String[] TOKENS = {"{", "}", "[", "]", ":", ",", "\"", "\\", "null", "true", "1e999",
            "-0", "\"\\ud800\"", "[[[[", "}}}}", "\u0000", "\"schemas\"", "\"Operations\"", "\"op\"", "\"path\""};

    private final Random random = new Random(SEED);
    /** A user the oversized PATCHes are aimed at. */
    private String patchedUserId;
    private final java.util.Set<Integer> oversizedKindsSent = new java.util.TreeSet<>();

    @Inject
    ScimLimits limits;

    @Test
    void noMalformedRequestGetsAServerErrorOrANonScimError() throws Exception {
        // A plain HTTP client: fast enough for ten thousand requests, and it sends paths exactly as given.
        HttpClient http = HttpClient.newHttpClient();
        URI base = URI.create("http://localhost:" + io.restassured.RestAssured.port);
        ObjectMapper json = new ObjectMapper();
        patchedUserId = json.readTree(http.send(new Request("POST", "/scim/v2/Users", Map.of(), SCIM,
                bytes("{\"userName\":\"fuzz-patched@example.com\"}")).build(base), HttpResponse.BodyHandlers.ofByteArray())
                .body()).path("id").asText();
        Map<Integer, Integer> statuses = new TreeMap<>();
        Map<String, Integer> oversized = new TreeMap<>();
        List<String> serverErrors = new ArrayList<>();
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
            if (status >= 500) {
                // Counted, and the run goes on: the count says how widespread a server error is.
                serverErrors.add(context + " answered " + status + ": " + quoted(text));
                continue;
            }
            if (status >= 400) {
                String type = answer.headers().firstValue("Content-Type").orElse("");
                assertTrue(type.startsWith("application/scim+json"), () -> context + " -> " + status + " " + type
                        + ": " + quoted(text));
                JsonNode error = readJson(json, answer.body(), context);
                assertEquals(String.valueOf(status), error.path("status").asText(), context);
            }
            if (request.path().endsWith("/Bulk") && status == 200) {
                JsonNode operations = readJson(json, answer.body(), context).path("Operations");
                for (int index = 0; index < operations.size(); index++) {
                    JsonNode result = operations.get(index);
                    int operationStatus = Integer.parseInt(result.path("status").asText());
                    if (operationStatus >= 500) {
                        serverErrors.add(context + " operation " + index + " answered " + quoted(result.toString()));
                    } else if (operationStatus >= 400) {
                        assertEquals(result.path("status").asText(), result.path("response").path("status").asText(),
                                context + " operation " + index);
                    }
                }
            }
            if (request.expected() != null) {
                Expected expected = request.expected();
                oversized.merge(expected.limited(), 1, Integer::sum);
                assertEquals(expected.status(), status, () -> context + " answered " + quoted(text));
                JsonNode error = readJson(json, answer.body(), context);
                assertEquals(expected.scimType() == null ? "" : expected.scimType(), error.path("scimType").asText(),
                        context);
                assertTrue(error.path("detail").asText().contains(expected.detail()), () -> context + ": detail "
                        + quoted(error.path("detail").asText()) + " does not say " + quoted(expected.detail()));
            }
        }
        long heapAtEnd = usedHeapAfterGc();
        System.out.println("[fuzz] " + REQUESTS + " requests, seed " + SEED + ", " + serverErrors.size()
                + " answered 5xx, "
                + "statuses " + statuses + "; oversized, each answered as expected: " + oversized.values().stream()
                .mapToInt(Integer::intValue).sum() + " " + oversized + "; heap in use after GC: "
                + heapAfterWarmUp / 1_048_576 + " MB after a tenth, " + heapAtEnd / 1_048_576 + " MB at the end");
        assertEquals(List.of(), serverErrors.subList(0, Math.min(5, serverErrors.size())),
                serverErrors.size() + " answers were 5xx; the first ones");
        // The gateway runs in this JVM: what the bad requests leave behind would show here.
        assertTrue(heapAtEnd < heapAfterWarmUp + 64L * 1_048_576, "memory stays flat: " + heapAfterWarmUp / 1_048_576
                + " MB -> " + heapAtEnd / 1_048_576 + " MB");
        assertTrue(statuses.keySet().stream().anyMatch(s -> s >= 400), "the fuzzer reached the error paths");
        assertTrue(statuses.keySet().stream().anyMatch(s -> s < 300), "the fuzzer reached the valid paths");
        assertEquals(OVERSIZED_KINDS, oversizedKindsSent.size(), "every kind of oversized request was sent: "
                + oversizedKindsSent);
    }

    private static String quoted(String text) {
        return text.length() > 300 ? text.substring(0, 300) + "..." : text;
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

    /**
     * The answer an oversized request must get.
     *
     * @param limited  what is over its limit, for the count
     * @param scimType null for none (413)
     * @param detail   a part of the detail: the attribute and the limit
     */
    private record Expected(String limited, int status, String scimType, String detail) {
    }

    /** @param chunked whether the body is sent without its length */
    private record Request(String method, String path, Map<String, String> query, String contentType, byte[] body,
            Expected expected, boolean chunked) {

        Request(String method, String path, Map<String, String> query, String contentType, byte[] body) {
            this(method, path, query, contentType, body, null, false);
        }

        Request(String method, String path, Map<String, String> query, String contentType, byte[] body,
                Expected expected) {
            this(method, path, query, contentType, body, expected, false);
        }

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
                            : chunked ? HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))
                            : HttpRequest.BodyPublishers.ofByteArray(body));
            if (contentType != null) {
                builder.header("Content-Type", contentType);
            }
            return builder.build();
        }

        @Override
        public String toString() {
            String text = body == null ? "" : new String(body, 0, Math.min(body.length, 300), StandardCharsets.UTF_8);
            return method + " " + path + " " + query + " [" + contentType + (chunked ? ", chunked" : "") + "] " + text
                    + (body != null && body.length > 300 ? "... (" + body.length + " bytes)" : "");
        }
    }

    private Request next() {
        String resource = random.nextBoolean() ? "Users" : "Groups";
        String id = random.nextInt(4) == 0 ? URLEncoder.encode(garbage(12), StandardCharsets.UTF_8).replace("+", "%20")
                : UUID.randomUUID().toString();
        switch (random.nextInt(9)) {
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
            case 6:
                return oversized();
            case 7:
                return new Request("POST", "/scim/v2/Bulk", Map.of(), contentType(), mutate(BULK));
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
                int depth = 1 + random.nextInt(10_000);
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

    /** How many kinds {@link #oversized()} sends; the test checks that each was sent. */
    private static final int OVERSIZED_KINDS = 30;

    /**
     * A request that is valid but for one thing over its limit - one over, or far over - and the answer it
     * must get.
     */
    private Request oversized() {
        String id = UUID.randomUUID().toString();
        int kind = random.nextInt(OVERSIZED_KINDS);
        oversizedKindsSent.add(kind);
        switch (kind) {
            case 0:
                return userString("userName", limits.userNameLength(), n -> "\"userName\":\"" + "u".repeat(n) + "\"");
            case 1:
                return userString("externalId", limits.externalIdLength(), n -> "\"externalId\":\"" + "e".repeat(n)
                        + "\"");
            case 2:
                return userString("displayName", limits.stringLength(), n -> "\"displayName\":\"" + "d".repeat(n)
                        + "\"");
            case 3:
                return userString("name.familyName", limits.stringLength(), n -> "\"name\":{\"familyName\":\""
                        + "f".repeat(n) + "\"}");
            case 4:
                return userString("emails.value", limits.emailLength(), n -> "\"emails\":[{\"value\":\""
                        + "m".repeat(n - 9) + "@mail.com\"}]");
            case 5:
                return userString("phoneNumbers.value", limits.stringLength(), n -> "\"phoneNumbers\":[{\"value\":\""
                        + "1".repeat(n) + "\",\"type\":\"work\"}]");
            case 6:
                return userString("addresses.locality", limits.stringLength(), n -> "\"addresses\":[{\"locality\":\""
                        + "l".repeat(n) + "\"}]");
            case 7:
                return userString("profileUrl", limits.referenceLength(), n -> "\"profileUrl\":\"https://x.test/"
                        + "p".repeat(n - 15) + "\"");
            case 8:
                return userString("photos.value", limits.referenceLength(), n -> "\"photos\":[{\"value\":\""
                        + "https://x.test/" + "p".repeat(n - 15) + "\"}]");
            case 9:
                return userString("x509Certificates.value", limits.certificateLength(), n -> "\"x509Certificates\":[{"
                        + "\"value\":\"" + "A".repeat(n) + "\"}]");
            case 10:
                return userString("department", limits.stringLength(), n -> "\"" + ENTERPRISE + "\":{\"department\":\""
                        + "d".repeat(n) + "\"}");
            case 11:
                return userString("manager.value", limits.stringLength(), n -> "\"" + ENTERPRISE + "\":{\"manager\":\""
                        + "m".repeat(n) + "\"}");
            case 12:
                return userString("dockerTeam", limits.stringLength(), n -> "\"" + ROLE_MAPPING + "\":{\"dockerTeam\":\""
                        + "t".repeat(n) + "\"}");
            case 13: {
                // 60,000 at most: four tokens each, the body stays within the token limit.
                int entries = over(limits.multiValuedEntries(), 60_000);
                return userWrite("emails", user("\"emails\":[" + repeat("{\"value\":\"a@b.c\"}", entries) + "]"),
                        400, "invalidValue", "'emails' has " + entries + " values; at most "
                                + limits.multiValuedEntries() + " are accepted");
            }
            case 14: {
                int entries = over(limits.multiValuedEntries(), 100_000);
                return userWrite("phoneNumbers", user("\"phoneNumbers\":[" + repeat("\"1\"", entries) + "]"), 400,
                        "invalidValue", "'phoneNumbers' has " + entries + " values");
            }
            case 15: {
                // Every value within its limit, and far more than a user command may be together.
                String address = "{\"formatted\":\"%1$s\",\"streetAddress\":\"%1$s\",\"locality\":\"%1$s\","
                        + "\"region\":\"%1$s\",\"postalCode\":\"%1$s\",\"country\":\"%1$s\"}";
                return userWrite("user command", user("\"addresses\":[" + repeat(address.formatted("l".repeat(
                        limits.stringLength())), limits.multiValuedEntries()) + "]"), 413, null,
                        "the user's attributes make a command of");
            }
            case 16: {
                // 30,000 at most: eight tokens each, the body stays within the token limit.
                int operations = over(limits.patchOperations(), 30_000);
                return new Request("PATCH", "/scim/v2/" + (random.nextBoolean() ? "Users/" : "Groups/") + id, Map.of(),
                        SCIM, bytes(patch(repeat("{\"op\":\"replace\",\"path\":\"displayName\",\"value\":\"x\"}",
                        operations))), new Expected("Operations", 400, "invalidValue", "'Operations' has " + operations
                        + " values; at most " + limits.patchOperations() + " are accepted"));
            }
            case 17:
                return groupString("displayName", limits.stringLength(), n -> "\"displayName\":\"" + "g".repeat(n)
                        + "\"");
            case 18:
                return groupString("externalId", limits.externalIdLength(), n -> "\"displayName\":\"g\","
                        + "\"externalId\":\"" + "e".repeat(n) + "\"");
            case 19: {
                int length = over(limits.memberIdLength(), FAR_OVER);
                return groupWrite("members[1].value", "\"displayName\":\"g\",\"members\":[{\"value\":\"u\"},"
                        + "{\"value\":\"" + "i".repeat(length) + "\"}]", "'members[1].value' is " + length
                        + " characters long; at most " + limits.memberIdLength() + " are accepted");
            }
            case 20: {
                int members = over(limits.membersPerRequest(), 150_000);
                String list = repeat("\"m\"", members);
                String detail = "the request names " + members + " members; at most " + limits.membersPerRequest()
                        + " are accepted per request";
                if (random.nextBoolean()) {
                    return groupWrite("members", "\"displayName\":\"g\",\"members\":[" + list + "]", detail);
                }
                return new Request("PATCH", "/scim/v2/Groups/" + id, Map.of(), SCIM, bytes(patch(
                        "{\"op\":\"add\",\"path\":\"members\",\"value\":[" + list + "]}")),
                        new Expected("members", 400, "invalidValue", detail));
            }
            case 21: {
                int length = over(limits.stringLength(), FAR_OVER);
                return new Request("PATCH", "/scim/v2/Groups/" + id, Map.of(), SCIM, bytes(patch(
                        "{\"op\":\"replace\",\"path\":\"displayName\",\"value\":\"" + "g".repeat(length) + "\"}")),
                        new Expected("Group displayName (PATCH)", 400, "invalidValue", "'displayName' is " + length
                                + " characters long; at most " + limits.stringLength() + " are accepted"));
            }
            case 22: {
                // With its length, or chunked: then it is measured once read.
                byte[] body = new byte[limits.bodyBytes() + 1 + random.nextInt(limits.bodyBytes() / 8)];
                java.util.Arrays.fill(body, (byte) ' ');
                boolean chunked = random.nextBoolean();
                boolean create = random.nextBoolean();
                return new Request(create ? "POST" : "PUT", "/scim/v2/" + (random.nextBoolean() ? "Users" : "Groups")
                        + (create ? "" : "/" + id), Map.of(), SCIM, body,
                        new Expected(chunked ? "body (chunked)" : "body", 413, null, "the request body is "
                                + body.length + " bytes; at most " + limits.bodyBytes() + " are accepted"), chunked);
            }
            case 23: {
                int depth = over(limits.jsonDepth(), 10_000);
                String nested = random.nextBoolean() ? "[".repeat(depth) + "]".repeat(depth)
                        : "{\"a\":".repeat(depth) + "1" + "}".repeat(depth);
                return userWrite("JSON depth", user("\"nested\":" + nested), 400, "invalidSyntax",
                        "exceeds the maximum allowed (" + limits.jsonDepth() + ")");
            }
            case 24:
                // Each {} is two tokens.
                return userWrite("JSON tokens", user("\"unknown\":[" + repeat("{}", over(limits.jsonTokens() / 2,
                        1_000_000)) + "]"), 400, "invalidSyntax", "exceeds the maximum allowed (" + limits.jsonTokens()
                        + ")");
            case 25:
                // 100,000 entries of an attribute no schema has: within the token limit, read and ignored.
                return new Request("POST", "/scim/v2/Users", Map.of(), SCIM, bytes("{\"userName\":\"" + id
                        + "@example.com\",\"unknown\":[" + repeat("1", 100_000) + "]}"),
                        new Expected("a 100,000-entry array nobody reads", 201, "", ""));
            case 26:
                return userWrite("huge number", user("\"active\":" + "9".repeat(over(1000, FAR_OVER))), 400,
                        "invalidSyntax", "Number value length");
            case 27:
                return userWrite("huge exponent", user("\"active\":1e" + "9".repeat(1 + random.nextInt(900))), 400,
                        "invalidValue", "'active' must be a boolean");
            case 28:
                return userWrite("long key", user("\"" + "k".repeat(over(50_000, FAR_OVER)) + "\":1"), 400,
                        "invalidSyntax", "Name length");
            default: {
                int entries = over(limits.multiValuedEntries(), 60_000);
                return new Request("PATCH", "/scim/v2/Users/" + patchedUserId, Map.of(), SCIM, bytes(patch(
                        "{\"op\":\"add\",\"path\":\"emails\",\"value\":[" + repeat("{\"value\":\"a@b.c\"}", entries)
                        + "]}")), new Expected("emails (PATCH)", 400, "invalidValue", "'emails' has " + entries
                        + " values; at most " + limits.multiValuedEntries() + " are accepted"));
            }
        }
    }

    /** One over the limit, or far over it (up to {@code farthest}). */
    private int over(int limit, int farthest) {
        return random.nextBoolean() ? limit + 1 : limit + 1 + random.nextInt(Math.max(1, farthest - limit));
    }

    /** A User create or replace with one string attribute over its limit. */
    private Request userString(String path, int limit, java.util.function.IntFunction<String> attribute) {
        int length = over(limit, Math.max(limit * 100, FAR_OVER));
        String body = path.equals("userName") ? "{" + attribute.apply(length) + "}" : user(attribute.apply(length));
        return userWrite(path, body, 400, "invalidValue", "'" + path + "' is " + length
                + " characters long; at most " + limit + " are accepted");
    }

    private Request userWrite(String limited, String body, int status, String scimType, String detail) {
        boolean create = random.nextBoolean();
        return new Request(create ? "POST" : "PUT", "/scim/v2/Users" + (create ? "" : "/" + UUID.randomUUID()),
                Map.of(), SCIM, bytes(body), new Expected(limited, status, scimType, detail));
    }

    private Request groupString(String path, int limit, java.util.function.IntFunction<String> attributes) {
        int length = over(limit, FAR_OVER);
        return groupWrite("Group " + path, attributes.apply(length), "'" + path + "' is " + length
                + " characters long; at most " + limit + " are accepted");
    }

    private Request groupWrite(String limited, String attributes, String detail) {
        boolean create = random.nextBoolean();
        return new Request(create ? "POST" : "PUT", "/scim/v2/Groups" + (create ? "" : "/" + UUID.randomUUID()),
                Map.of(), SCIM, bytes("{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:Group\"]," + attributes
                        + "}"), new Expected(limited, 400, "invalidValue", detail));
    }

    private static String user(String attribute) {
        return "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\"],\"userName\":\"ada@example.com\","
                + attribute + "}";
    }

    private static String patch(String operations) {
        return "{\"schemas\":[\"" + PATCH_OP + "\"],\"Operations\":[" + operations + "]}";
    }

    private static String repeat(String element, int times) {
        return String.join(",", java.util.Collections.nCopies(times, element));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private String garbage(int length) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < length; i++) {
            text.append((char) (32 + random.nextInt(95)));
        }
        return text.toString();
    }
}
