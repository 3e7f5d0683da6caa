package dev.scimsync.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Tenant isolation as a property: two connections (two IdPs of two organizations) issue 1,000 random SCIM
 * operations between them, half of them aimed at the other tenant's ids and names - reads, filters,
 * replaces, patches, deletes, group members. Not one may read or change anything of the other tenant, and
 * each tenant's own view must match a model of what it did. The seed is printed; {@code -Disolation.seed=N}
 * replays a run.
 */
class TenantIsolationIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String USER = "urn:ietf:params:scim:schemas:core:2.0:User";
    private static final String GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";
    private static final String PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
    private static final int OPERATIONS = Integer.getInteger("isolation.operations", 1000);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** One tenant: its token and what it has created (the model its views must match). */
    private final class Tenant {
        final String name;
        final String token;
        final Map<String, String> users = new LinkedHashMap<>();   // id -> userName
        final Map<String, String> groups = new LinkedHashMap<>();  // id -> displayName

        Tenant(String name, String token) {
            this.name = name;
            this.token = token;
        }
    }

    private record Answer(int status, JsonNode body) {
    }

    private int crossTenant;
    private final List<String> violations = new ArrayList<>();

    @Test
    void neitherTenantCanReadOrChangeTheOthers() throws Exception {
        long seed = Long.getLong("isolation.seed", System.nanoTime());
        System.out.println("[isolation] seed " + seed + " (-Disolation.seed=" + seed + " replays this run)");
        Random random = new Random(seed);
        Tenant a = tenant("iso-a-" + UUID.randomUUID().toString().substring(0, 6));
        Tenant b = tenant("iso-b-" + UUID.randomUUID().toString().substring(0, 6));
        // Both tenants start with users and groups, some with the same names on both sides.
        for (Tenant t : List.of(a, b)) {
            for (int i = 0; i < 5; i++) {
                createUser(t, "shared" + i + "@iso.test");
            }
            createGroup(t, "Shared Group");
        }

        for (int i = 0; i < OPERATIONS; i++) {
            Tenant self = random.nextBoolean() ? a : b;
            Tenant other = self == a ? b : a;
            operate(random, self, other);
        }

        for (Tenant t : List.of(a, b)) {
            Tenant other = t == a ? b : a;
            Answer users = call(t, "GET", "/Users?count=1000", null);
            Set<String> listed = ids(users.body());
            check(listed.equals(t.users.keySet()), t.name + " lists exactly its own users");
            Answer groups = call(t, "GET", "/Groups?count=1000&excludedAttributes=members", null);
            check(ids(groups.body()).equals(t.groups.keySet()), t.name + " lists exactly its own groups");
            for (String id : other.users.keySet()) {
                check(!listed.contains(id), t.name + " never lists " + other.name + "'s user " + id);
            }
        }
        System.out.println("[isolation] " + OPERATIONS + " operations, " + crossTenant + " aimed at the other tenant; "
                + violations.size() + " crossed");
        assertTrue(crossTenant > OPERATIONS / 3, "the run aimed enough operations across: " + crossTenant);
        assertEquals(List.of(), violations, "seed " + seed);
    }

    private void operate(Random random, Tenant self, Tenant other) throws Exception {
        String otherUser = pick(random, other.users.keySet());
        String otherGroup = pick(random, other.groups.keySet());
        switch (random.nextInt(12)) {
            case 0 -> createUser(self, random.nextBoolean() && !other.users.isEmpty()
                    ? pickValue(random, other.users) // the other tenant's userName: a different user here
                    : "u" + UUID.randomUUID().toString().substring(0, 8) + "@iso.test");
            case 1 -> createGroup(self, random.nextBoolean() && !other.groups.isEmpty() ? pickValue(random, other.groups)
                    : "g-" + UUID.randomUUID().toString().substring(0, 8));
            case 2 -> {
                if (otherUser != null) {
                    crossTenant++;
                    expect(call(self, "GET", "/Users/" + otherUser, null), 404, "read another tenant's user");
                }
            }
            case 3 -> {
                if (otherUser != null) {
                    crossTenant++;
                    expect(call(self, "PUT", "/Users/" + otherUser, userBody("taken-over@iso.test")), 404,
                            "replace another tenant's user");
                }
            }
            case 4 -> {
                if (otherUser != null) {
                    crossTenant++;
                    expect(call(self, "PATCH", "/Users/" + otherUser, "{\"schemas\":[\"" + PATCH + "\"],\"Operations\":"
                            + "[{\"op\":\"replace\",\"path\":\"active\",\"value\":false}]}"), 404, "patch another tenant's user");
                }
            }
            case 5 -> {
                if (otherUser != null) {
                    crossTenant++;
                    expect(call(self, "DELETE", "/Users/" + otherUser, null), 404, "delete another tenant's user");
                }
            }
            case 6 -> {
                String name = pickValue(random, other.users);
                if (name != null) {
                    crossTenant++;
                    Answer found = call(self, "GET", "/Users?filter=" + encode("userName eq \"" + name + "\""), null);
                    Set<String> ids = ids(found.body());
                    check(self.users.keySet().containsAll(ids), "a filter by another tenant's userName found only own users");
                }
            }
            case 7 -> {
                if (otherGroup != null) {
                    crossTenant++;
                    expect(call(self, "GET", "/Groups/" + otherGroup, null), 404, "read another tenant's group");
                }
            }
            case 8 -> {
                if (otherGroup != null) {
                    crossTenant++;
                    expect(call(self, "PATCH", "/Groups/" + otherGroup, "{\"schemas\":[\"" + PATCH + "\"],\"Operations\":"
                            + "[{\"op\":\"replace\",\"path\":\"displayName\",\"value\":\"hijacked\"}]}"), 404,
                            "rename another tenant's group");
                }
            }
            case 9 -> {
                String ownGroup = pick(random, self.groups.keySet());
                if (ownGroup != null && otherUser != null) {
                    crossTenant++;
                    expect(call(self, "PATCH", "/Groups/" + ownGroup, "{\"schemas\":[\"" + PATCH + "\"],\"Operations\":"
                            + "[{\"op\":\"add\",\"path\":\"members\",\"value\":[{\"value\":\"" + otherUser + "\"}]}]}"),
                            400, "add another tenant's user to an own group");
                }
            }
            case 10 -> {
                String name = pickValue(random, other.groups);
                if (name != null) {
                    crossTenant++;
                    Answer found = call(self, "GET", "/Groups?filter=" + encode("displayName eq \"" + name + "\""), null);
                    check(self.groups.keySet().containsAll(ids(found.body())),
                            "a filter by another tenant's group name found only own groups");
                }
            }
            default -> {
                String own = pick(random, self.users.keySet());
                if (own != null) {
                    Answer read = call(self, "GET", "/Users/" + own, null);
                    expect(read, 200, "read an own user");
                    check(self.users.get(own).equals(read.body().path("userName").asText()), "own user reads back");
                    if (random.nextInt(4) == 0) {
                        expect(call(self, "DELETE", "/Users/" + own, null), 204, "delete an own user");
                        self.users.remove(own);
                    }
                }
            }
        }
    }

    private Tenant tenant(String organization) throws Exception {
        String token = NewTenant.scimToken(organization);
        // A thousand random operations delete far more than the mass-deprovisioning guard lets through in ten
        // minutes; held deletes would leave users the model has removed. The guard has tests of its own.
        NewTenant.withoutMassDeprovisioningGuard(organization + "-sso");
        return new Tenant(organization, token);
    }

    private void createUser(Tenant tenant, String userName) throws Exception {
        Answer created = call(tenant, "POST", "/Users", userBody(userName));
        if (tenant.users.containsValue(userName)) {
            expect(created, 409, "create a duplicate userName in the same tenant");
            return;
        }
        expect(created, 201, "create " + userName + " (the other tenant may have it: names are per tenant)");
        if (created.status() == 201) {
            tenant.users.put(created.body().path("id").asText(), userName);
        }
    }

    private void createGroup(Tenant tenant, String displayName) throws Exception {
        Answer created = call(tenant, "POST", "/Groups", "{\"schemas\":[\"" + GROUP + "\"],\"displayName\":\""
                + displayName + "\"}");
        if (tenant.groups.containsValue(displayName)) {
            expect(created, 409, "create a duplicate group name in the same tenant");
            return;
        }
        expect(created, 201, "create group " + displayName);
        if (created.status() == 201) {
            tenant.groups.put(created.body().path("id").asText(), displayName);
        }
    }

    private static String userBody(String userName) {
        return "{\"schemas\":[\"" + USER + "\"],\"userName\":\"" + userName + "\"}";
    }

    private Answer call(Tenant tenant, String method, String path, String body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(SharedStack.endpoints().scimBaseUrl() + path))
                .header("Authorization", "Bearer " + tenant.token).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/scim+json");
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), response.body().isEmpty() ? JSON.createObjectNode()
                : JSON.readTree(response.body()));
    }

    private void expect(Answer answer, int status, String what) {
        check(answer.status() == status, what + ": expected " + status + ", got " + answer.status() + " " + answer.body());
    }

    private void check(boolean condition, String what) {
        if (!condition) {
            violations.add(what);
        }
    }

    private static Set<String> ids(JsonNode list) {
        Set<String> ids = new HashSet<>();
        list.path("Resources").forEach(resource -> ids.add(resource.path("id").asText()));
        return ids;
    }

    private static String pick(Random random, Set<String> keys) {
        if (keys.isEmpty()) {
            return null;
        }
        return new ArrayList<>(keys).get(random.nextInt(keys.size()));
    }

    private static String pickValue(Random random, Map<String, String> map) {
        String key = pick(random, map.keySet());
        return key == null ? null : map.get(key);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
