package dev.scimsync.e2e;

import static dev.scimsync.e2e.ScimClient.CORE_USER;
import static dev.scimsync.e2e.ScimClient.PATCH_OP;
import static dev.scimsync.e2e.ScimClient.SCIM;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;

import dev.scimsync.stack.LocalStack;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * SCIM groups through the whole system - gateway, Kafka, group-sync-service, membership-service - and the
 * teams they fill, as an admin sees them. Each test has its own organizations and connection.
 */
class GroupsIT {

    static final String CORE_GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";

    /** Two organizations linked to one SCIM-enabled connection, and that connection's token. */
    private record Tenant(String organization, String labs, String connection, String token) {

        static Tenant create() {
            String org = "grp-" + UUID.randomUUID().toString().substring(0, 6);
            admin().body(Map.of("name", org)).post("/organizations").then().statusCode(201);
            admin().body(Map.of("name", org + "-labs")).post("/organizations").then().statusCode(201);
            admin().body(Map.of("name", org + "-sso", "organizations", List.of(org, org + "-labs"),
                            "defaultOrganization", org, "scimEnabled", true))
                    .post("/connections").then().statusCode(201);
            String token = admin().post("/connections/{c}/scim-tokens", org + "-sso").then().statusCode(201)
                    .extract().path("token");
            return new Tenant(org, org + "-labs", org + "-sso", token);
        }

        RequestSpecification idp() {
            return given().baseUri(SharedStack.endpoints().scimBaseUrl()).header("Authorization", "Bearer " + token)
                    .contentType(SCIM);
        }

        String user(String name) {
            return idp().body("{\"schemas\":[\"%s\"],\"userName\":\"%s@%s.test\"}".formatted(CORE_USER, name,
                    organization)).post("/Users").then().statusCode(201).extract().path("id");
        }

        List<String> users(String prefix, int count) {
            return IntStream.range(0, count).mapToObj(i -> user(prefix + i)).toList();
        }

        String group(String displayName, List<String> members) {
            return idp().body(groupBody(displayName, members)).post("/Groups").then().statusCode(201)
                    .extract().path("id");
        }

        ValidatableResponse team(String organization, String team) {
            return admin().get("/organizations/{o}/teams/{t}/members", organization, team).then().statusCode(200);
        }

        ValidatableResponse patch(String groupId, String operations) {
            return idp().body("{\"schemas\":[\"" + PATCH_OP + "\"],\"Operations\":[" + operations + "]}")
                    .patch("/Groups/{id}", groupId).then();
        }
    }

    private static RequestSpecification admin() {
        LocalStack.Endpoints endpoints = SharedStack.endpoints();
        return given().baseUri(endpoints.adminBaseUrl()).header("Authorization", "Bearer " + endpoints.adminToken())
                .contentType(ContentType.JSON);
    }

    private static String groupBody(String displayName, List<String> members) {
        return "{\"schemas\":[\"" + CORE_GROUP + "\"],\"displayName\":\"" + displayName + "\",\"members\":"
                + memberArray(members) + "}";
    }

    private static String memberArray(List<String> members) {
        return members.stream().map(id -> "{\"value\":\"" + id + "\"}").collect(Collectors.joining(",", "[", "]"));
    }

    @Test
    void aGroupFillsItsTeamThroughRenameRemovalDeactivationAndDeletion() {
        Tenant tenant = Tenant.create();
        List<String> users = tenant.users("dev", 3);
        String developers = tenant.organization() + ":developers";

        String group = tenant.group(developers, users);
        tenant.team(tenant.organization(), "developers").body("members.id", containsInAnyOrder(users.toArray()))
                .body("members[0].sources", contains("group:" + developers));

        // Rename: the mapping moves, and the members with it.
        tenant.patch(group, "{\"op\":\"replace\",\"value\":{\"id\":\"" + group + "\",\"displayName\":\""
                + tenant.organization() + ":platform\"}}").statusCode(204);
        tenant.team(tenant.organization(), "developers").body("members", empty());
        tenant.team(tenant.organization(), "platform").body("members.id", containsInAnyOrder(users.toArray()));

        // Remove one member.
        tenant.patch(group, "{\"op\":\"remove\",\"path\":\"members[value eq \\\"" + users.get(0) + "\\\"]\"}")
                .statusCode(204);
        tenant.team(tenant.organization(), "platform").body("members.id", containsInAnyOrder(users.get(1),
                users.get(2)));

        // Deactivate a user: it leaves the team, and comes back when re-activated.
        String deactivate = "{\"schemas\":[\"" + PATCH_OP + "\"],\"Operations\":[{\"op\":\"replace\",\"path\":"
                + "\"active\",\"value\":%s}]}";
        tenant.idp().body(deactivate.formatted("false")).patch("/Users/{id}", users.get(1)).then().statusCode(200);
        Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                tenant.team(tenant.organization(), "platform").body("members.id", contains(users.get(2))));
        tenant.idp().body(deactivate.formatted("true")).patch("/Users/{id}", users.get(1)).then().statusCode(200);
        Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                tenant.team(tenant.organization(), "platform").body("members.id", containsInAnyOrder(users.get(1),
                        users.get(2))));

        // Delete the group: its memberships go, the team stays.
        tenant.idp().delete("/Groups/{id}", group).then().statusCode(204);
        tenant.idp().get("/Groups/{id}", group).then().statusCode(404).contentType(SCIM);
        tenant.team(tenant.organization(), "platform").body("members", empty());
        admin().get("/organizations/{o}/teams", tenant.organization()).then().statusCode(200)
                .body("name", hasItem("platform"));
    }

    /**
     * Issue 20, groups place people: a mapped group makes its members members of the group's organization (a
     * seat, the mapping's role), not only of the team; leaving the groups ends that membership, while the one the
     * user's attribute placement (the connection's default) made stays.
     */
    @Test
    void aMappedGroupMakesItsMembersMembersOfItsOrganizationWithTheMappingsRole() {
        Tenant tenant = Tenant.create();
        String user = tenant.user("placed");
        String email = "placed@" + tenant.organization() + ".test";
        String research = tenant.group(tenant.labs() + ":research", List.of(user));
        awaitMember(tenant.labs(), email, "member");

        String admins = tenant.group("Lab Admins", List.of(user));
        admin().body(Map.of("organization", tenant.labs(), "team", "ops", "role", "owner"))
                .put("/connections/{c}/group-mappings/{g}", tenant.connection(), admins).then().statusCode(200);
        awaitMember(tenant.labs(), email, "owner");
        admin().get("/organizations/{o}", tenant.labs()).then().statusCode(200).body("seatsUsed", equalTo(1));

        tenant.patch(admins, "{\"op\":\"remove\",\"path\":\"members[value eq \\\"" + user + "\\\"]\"}")
                .statusCode(204);
        awaitMember(tenant.labs(), email, "member");
        tenant.idp().delete("/Groups/{id}", research).then().statusCode(204);
        Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> admin()
                .get("/organizations/{o}/members", tenant.labs()).then().statusCode(200)
                .body("members.email", not(hasItem(email))));
        admin().get("/organizations/{o}/members", tenant.organization()).then().statusCode(200)
                .body("members.find { it.email == '" + email + "' }.state", equalTo("active"));
    }

    private static void awaitMember(String organization, String email, String role) {
        Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> admin()
                .get("/organizations/{o}/members", organization).then().statusCode(200)
                .body("members.find { it.email == '" + email + "' }.role", equalTo(role))
                .body("members.find { it.email == '" + email + "' }.source", equalTo("scim")));
    }

    @Test
    void identityProvidersPatchShapesAreEachUnderstood() {
        Tenant tenant = Tenant.create();
        List<String> users = tenant.users("shape", 6);
        String group = tenant.group(tenant.organization() + ":shapes", List.of());

        // A value array (Okta and Entra add members this way).
        tenant.patch(group, "{\"op\":\"add\",\"path\":\"members\",\"value\":" + memberArray(users.subList(0, 4)) + "}")
                .statusCode(204);
        // Entra's remove with a value array.
        tenant.patch(group, "{\"op\":\"Remove\",\"path\":\"members\",\"value\":[{\"value\":\"" + users.get(0)
                + "\"}]}").statusCode(204);
        // A filtered remove.
        tenant.patch(group, "{\"op\":\"remove\",\"path\":\"members[value eq \\\"" + users.get(1) + "\\\"]\"}")
                .statusCode(204);
        // $ref: null members, with attributes asked back: 200 and the resource.
        tenant.idp().queryParam("attributes", "displayName,members")
                .body("{\"schemas\":[\"" + PATCH_OP + "\"],\"Operations\":[{\"op\":\"Add\",\"path\":\"members\","
                        + "\"value\":[{\"$ref\":null,\"value\":\"" + users.get(4) + "\"}]}]}")
                .patch("/Groups/{id}", group).then().statusCode(200).contentType(SCIM)
                .body("members.value", containsInAnyOrder(users.get(2), users.get(3), users.get(4)));
        // A full push replaces the members.
        tenant.patch(group, "{\"op\":\"replace\",\"path\":\"members\",\"value\":" + memberArray(users.subList(4, 6))
                + "}").statusCode(204);
        tenant.idp().get("/Groups/{id}", group).then().statusCode(200)
                .body("members.value", containsInAnyOrder(users.get(4), users.get(5)))
                .body("members[0].$ref", containsString("/Users/"));

        // A member that is not a user of this connection: the whole request is refused, naming it.
        String stranger = UUID.randomUUID().toString();
        tenant.patch(group, "{\"op\":\"add\",\"path\":\"members\",\"value\":" + memberArray(List.of(users.get(0),
                stranger)) + "}").statusCode(400).contentType(SCIM).body("scimType", equalTo("invalidValue"))
                .body("detail", containsString(stranger));
        tenant.idp().get("/Groups/{id}", group).then().body("members", hasSize(2));
        // Okta's move between groups, one PATCH: a removal beside that add is applied - refused whole, the person
        // kept the team while the IdP retried - and the stranger is left out and listed.
        tenant.patch(group, "{\"op\":\"remove\",\"path\":\"members[value eq \\\"" + users.get(5) + "\\\"]\"},"
                + "{\"op\":\"add\",\"path\":\"members\",\"value\":" + memberArray(List.of(users.get(0), stranger))
                + "}").statusCode(204);
        tenant.idp().get("/Groups/{id}", group).then()
                .body("members.value", containsInAnyOrder(users.get(0), users.get(4)));
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).untilAsserted(() -> admin()
                .get("/connections/{c}/provisioning-errors", tenant.connection()).then().statusCode(200)
                .body("detail", hasItem("member '" + stranger + "' is not a user of this connection: left out; "
                        + "the rest of the change, its removals among them, was applied")));

        // Entra's create body carries an extra schema URN; its membership check is a filter.
        String entra = tenant.idp().body("{\"schemas\":[\"" + CORE_GROUP + "\",\"http://schemas.microsoft.com/2006/11/"
                        + "ResourceManagement/ADSchema/Group\"],\"externalId\":\"e-1\",\"displayName\":\""
                        + tenant.labs() + ":desktop\",\"members\":[]}")
                .post("/Groups").then().statusCode(201).body("externalId", equalTo("e-1")).extract().path("id");
        tenant.idp().queryParam("filter", "id eq \"" + group + "\" and members[value eq \"" + users.get(4) + "\"]")
                .queryParam("excludedAttributes", "members").get("/Groups").then().statusCode(200)
                .body("totalResults", equalTo(1)).body("Resources[0]", not(hasKey("members")));
        tenant.idp().queryParam("filter", "id eq \"" + entra + "\" and members[value eq \"" + users.get(4) + "\"]")
                .get("/Groups").then().statusCode(200).body("totalResults", equalTo(0));
        tenant.idp().queryParam("filter", "displayName eq \"" + tenant.labs() + ":DESKTOP\"")
                .queryParam("attributes", "displayName").get("/Groups").then().statusCode(200)
                .body("Resources.id", contains(entra)).body("Resources[0]", not(hasKey("members")));
    }

    @Test
    void thousandsOfMembersArriveInOneRequest() {
        Tenant tenant = Tenant.create();
        // Users are created through SCIM one by one, as an IdP does; a few hundred keep the test short.
        List<String> users = new ArrayList<>(tenant.users("bulk", 300));
        String group = tenant.group(tenant.organization() + ":bulk", List.of());

        tenant.patch(group, "{\"op\":\"add\",\"path\":\"members\",\"value\":" + memberArray(users) + "}")
                .statusCode(204);

        tenant.idp().queryParam("excludedAttributes", "members").get("/Groups/{id}", group).then().statusCode(200)
                .body("$", not(hasKey("members")));
        tenant.idp().get("/Groups/{id}", group).then().statusCode(200).body("members", hasSize(300));
        admin().get("/organizations/{o}/teams", tenant.organization()).then()
                .body("find { it.name == 'bulk' }.members", equalTo(300));
    }

    @Test
    void unmappedGroupsAreReportedAndExplicitMappingsPlaceThem() {
        Tenant tenant = Tenant.create();
        List<String> users = tenant.users("map", 2);
        String group = tenant.group("All Engineers", users);

        admin().get("/connections/{c}/provisioning-errors", tenant.connection()).then().statusCode(200)
                .body("detail", hasItem("group 'All Engineers' is not formatted as 'organization:team' - ignored"));

        admin().body(Map.of("organization", tenant.labs(), "team", "engineering", "role", "editor"))
                .put("/connections/{c}/group-mappings/{g}", tenant.connection(), group).then().statusCode(200)
                .body("team", equalTo("engineering"));
        admin().get("/connections/{c}/group-mappings", tenant.connection()).then().statusCode(200)
                .body("groupId", contains(group));
        tenant.team(tenant.labs(), "engineering").body("members.id", containsInAnyOrder(users.toArray()))
                .body("members[0].role", equalTo("editor"));

        admin().delete("/connections/{c}/group-mappings/{g}", tenant.connection(), group).then().statusCode(204);
        tenant.team(tenant.labs(), "engineering").body("members", empty());
    }

    @Test
    void usersListTheirGroups() {
        Tenant tenant = Tenant.create();
        String user = tenant.user("member");
        String alpha = tenant.group(tenant.organization() + ":alpha", List.of(user));
        String beta = tenant.group("beta", List.of(user));

        tenant.idp().get("/Users/{id}", user).then().statusCode(200)
                .body("groups.value", containsInAnyOrder(alpha, beta))
                .body("groups.display", containsInAnyOrder(tenant.organization() + ":alpha", "beta"));
        tenant.idp().queryParam("filter", "id eq \"" + user + "\"").get("/Users").then().statusCode(200)
                .body("Resources[0].groups.value", containsInAnyOrder(alpha, beta));
    }
}
