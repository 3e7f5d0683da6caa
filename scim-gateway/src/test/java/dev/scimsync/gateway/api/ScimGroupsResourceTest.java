package dev.scimsync.gateway.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.emptyString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = GatewayTestInfrastructure.class, restrictToAnnotatedClass = true)
class ScimGroupsResourceTest {

    private static final String SCIM = "application/scim+json";
    private static final String GROUP_URN = "urn:ietf:params:scim:schemas:core:2.0:Group";
    private static final String PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

    private static RequestSpecification scim() {
        return given().header("Authorization", "Bearer " + GatewayTestInfrastructure.TOKEN).contentType(SCIM);
    }

    private static String createUser(String userName) {
        return scim().body("{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\"],\"userName\":\"" + userName
                + "\"}").post("/scim/v2/Users").then().statusCode(201).extract().path("id");
    }

    private static String groupBody(String displayName, String... memberIds) {
        String members = Stream.of(memberIds).map(id -> "{\"value\":\"" + id + "\",\"$ref\":null}")
                .collect(Collectors.joining(","));
        return """
                {"schemas":["%s","http://schemas.microsoft.com/2006/11/ResourceManagement/ADSchema/Group"],
                 "displayName":"%s","externalId":"ext-%s","members":[%s]}""".formatted(GROUP_URN, displayName,
                displayName, members);
    }

    private static String createGroup(String displayName, String... memberIds) {
        return scim().body(groupBody(displayName, memberIds)).post("/scim/v2/Groups").then().statusCode(201)
                .extract().path("id");
    }

    private static String patch(String operations) {
        return "{\"schemas\":[\"" + PATCH_OP + "\"],\"Operations\":" + operations + "}";
    }

    private static long groupsLookups() {
        return GatewayTestInfrastructure.groupsLookups().size();
    }

    @Test
    void createAnswers201WithMembersAndGetReturnsTheSame() {
        String ada = createUser("group-ada@example.com");

        Response created = scim().body(groupBody("Engineers", ada)).post("/scim/v2/Groups");

        created.then().statusCode(201).contentType(SCIM)
                .header("Location", matchesPattern(".*/scim/v2/Groups/[0-9a-f-]{36}"))
                .header("ETag", equalTo("W/\"1\""))
                .body("schemas", contains(GROUP_URN))
                .body("displayName", equalTo("Engineers"))
                .body("externalId", equalTo("ext-Engineers"))
                .body("members[0].value", equalTo(ada))
                .body("members[0].display", equalTo("group-ada@example.com"))
                .body("members[0].$ref", matchesPattern(".*/scim/v2/Users/" + ada))
                .body("members[0].type", equalTo("User"))
                .body("meta.resourceType", equalTo("Group"))
                .body("meta.version", equalTo("W/\"1\""));
        String id = created.path("id");
        assertEquals(created.header("Location"), created.path("meta.location"));

        Response read = scim().get("/scim/v2/Groups/{id}", id);
        read.then().statusCode(200).contentType(SCIM).header("ETag", equalTo("W/\"1\""));
        assertEquals(created.jsonPath().getMap(""), read.jsonPath().getMap(""), "GET returns what POST answered");
    }

    @Test
    void unknownGroupsAre404AndACurrentETagIs304() {
        scim().get("/scim/v2/Groups/{id}", "2819c223-7f76-453a-919d-413861904646").then()
                .statusCode(404).contentType(SCIM).body("status", equalTo("404"))
                .body("detail", equalTo("Group 2819c223-7f76-453a-919d-413861904646 not found"));
        String id = createGroup("Cached");
        scim().header("If-None-Match", "W/\"1\"").get("/scim/v2/Groups/{id}", id).then()
                .statusCode(304).header("ETag", equalTo("W/\"1\""));
        scim().header("If-None-Match", "W/\"0\"").get("/scim/v2/Groups/{id}", id).then().statusCode(200);
    }

    @Test
    void projectionsWithoutMembersNeverLoadThem() {
        String id = createGroup("Lean", createUser("lean@example.com"));

        scim().queryParam("excludedAttributes", "members").queryParam("filter", "displayName eq \"Lean\"")
                .get("/scim/v2/Groups").then().statusCode(200)
                .body("totalResults", equalTo(1))
                .body("Resources[0].id", equalTo(id))
                .body("Resources[0].members", nullValue());
        scim().queryParam("attributes", "displayName").get("/scim/v2/Groups/{id}", id).then().statusCode(200)
                .body("displayName", equalTo("Lean")).body("members", nullValue()).body("meta", nullValue());

        List<String> asked = GatewayTestInfrastructure.groupSyncRequests();
        assertTrue(asked.stream().anyMatch(r -> r.matches("POST .*/groups/query\\?members=false")), asked.toString());
        assertTrue(asked.contains("GET /internal/v1/connections/" + GatewayTestInfrastructure.CONNECTION_ID
                + "/groups/" + id + "?members=false"), asked.toString());
    }

    @Test
    void entraChecksMembershipWithAFilter() {
        String grace = createUser("grace-member@example.com");
        String other = createUser("not-member@example.com");
        String id = createGroup("Checked", grace);
        String filter = "id eq \"%s\" and members[value eq \"%s\"]";

        scim().queryParam("filter", filter.formatted(id, grace)).queryParam("excludedAttributes", "members")
                .get("/scim/v2/Groups").then().statusCode(200).body("totalResults", equalTo(1))
                .body("Resources[0].id", equalTo(id));
        scim().queryParam("filter", filter.formatted(id, other)).queryParam("excludedAttributes", "members")
                .get("/scim/v2/Groups").then().statusCode(200).body("totalResults", equalTo(0));
        scim().queryParam("filter", "members[display eq \"x\"]").get("/scim/v2/Groups").then()
                .statusCode(400).body("scimType", equalTo("invalidFilter"));
    }

    @Test
    void searchInABody() {
        String id = createGroup("Searched");
        scim().body("{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:SearchRequest\"],"
                        + "\"filter\":\"displayName eq \\\"searched\\\"\",\"attributes\":[\"displayName\"]}")
                .post("/scim/v2/Groups/.search").then().statusCode(200)
                .body("totalResults", equalTo(1)).body("Resources[0].id", equalTo(id));
    }

    @Test
    void patchAnswers204WithoutAProjectionAnd200WithOne() {
        String ada = createUser("patch-ada@example.com");
        String bob = createUser("patch-bob@example.com");
        String id = createGroup("Patched", ada);

        scim().body(patch("[{\"op\":\"Add\",\"path\":\"members\",\"value\":[{\"value\":\"" + bob + "\"}]}]"))
                .patch("/scim/v2/Groups/{id}", id).then()
                .statusCode(204).body(emptyString()).header("ETag", equalTo("W/\"2\""));
        scim().body(patch("[{\"op\":\"remove\",\"path\":\"members[value eq \\\"" + ada + "\\\"]\"},"
                        + "{\"op\":\"replace\",\"value\":{\"id\":\"" + id + "\",\"displayName\":\"Renamed\"}}]"))
                .queryParam("excludedAttributes", "meta")
                .patch("/scim/v2/Groups/{id}", id).then()
                .statusCode(200).contentType(SCIM).header("ETag", equalTo("W/\"3\""))
                .body("displayName", equalTo("Renamed"))
                .body("members.value", contains(bob))
                .body("meta", nullValue());
    }

    @Test
    void aMemberThatIsNoUserIs400InvalidValueNamingIt() {
        scim().body(groupBody("Ghosts", "no-such-user")).post("/scim/v2/Groups").then()
                .statusCode(400).contentType(SCIM).body("scimType", equalTo("invalidValue"))
                .body("detail", containsString("no-such-user"));
        String id = createGroup("Haunted");
        scim().body(patch("[{\"op\":\"add\",\"path\":\"members\",\"value\":[{\"value\":\"ghost-42\"}]}]"))
                .patch("/scim/v2/Groups/{id}", id).then()
                .statusCode(400).body("scimType", equalTo("invalidValue")).body("detail", containsString("ghost-42"));
    }

    @Test
    void writesNamingAnotherVersionAre412() {
        String id = createGroup("Versioned");
        scim().header("If-Match", "W/\"7\"").body(patch("[{\"op\":\"replace\",\"path\":\"displayName\",\"value\":\"x\"}]"))
                .patch("/scim/v2/Groups/{id}", id).then().statusCode(412).contentType(SCIM).body("status", equalTo("412"));
        scim().header("If-Match", "W/\"7\"").body(groupBody("Versioned")).put("/scim/v2/Groups/{id}", id).then()
                .statusCode(412);
        scim().header("If-Match", "W/\"1\"").body(groupBody("Versioned-2")).put("/scim/v2/Groups/{id}", id).then()
                .statusCode(200).header("ETag", equalTo("W/\"2\"")).body("displayName", equalTo("Versioned-2"));
    }

    @Test
    void deleteAnswers204AndTheGroupIsGone() {
        String id = createGroup("Doomed");
        scim().delete("/scim/v2/Groups/{id}", id).then().statusCode(204);
        scim().get("/scim/v2/Groups/{id}", id).then().statusCode(404);
        scim().delete("/scim/v2/Groups/{id}", id).then().statusCode(404).contentType(SCIM);
    }

    @Test
    void createRulesDisplayNameRequiredAndUnique() {
        scim().body("{\"schemas\":[\"" + GROUP_URN + "\"],\"members\":[]}").post("/scim/v2/Groups").then()
                .statusCode(400).body("scimType", equalTo("invalidValue"))
                .body("detail", equalTo("'displayName' is required"));
        createGroup("Unique");
        scim().body(groupBody("UNIQUE")).post("/scim/v2/Groups").then()
                .statusCode(409).body("scimType", equalTo("uniqueness"));
    }

    @Test
    void aCommittedGroupWriteWhoseOutcomeIsLateIsAskedOfGroupSync() {
        scim().body(groupBody("silent-group")).post("/scim/v2/Groups").then()
                .statusCode(201).body("displayName", equalTo("silent-group"));
        assertTrue(GatewayTestInfrastructure.groupSyncRequests().stream().anyMatch(r -> r.startsWith("GET /internal/v1/commands/")));
    }

    @Test
    void usersShowTheirGroups() {
        String ada = createUser("grouped-ada@example.com");
        String id = createGroup("Readers", ada);

        long before = groupsLookups();
        scim().get("/scim/v2/Users/{id}", ada).then().statusCode(200)
                .body("groups[0].value", equalTo(id))
                .body("groups[0].display", equalTo("Readers"))
                .body("groups[0].$ref", matchesPattern(".*/scim/v2/Groups/" + id))
                .body("groups[0].type", equalTo("direct"));
        scim().queryParam("filter", "userName sw \"grouped-\"").get("/scim/v2/Users").then().statusCode(200);
        assertEquals(before + 2, groupsLookups(), "one lookup per response, a page included");

        scim().queryParam("excludedAttributes", "groups").get("/scim/v2/Users/{id}", ada).then().statusCode(200)
                .body("groups", nullValue());
        assertEquals(before + 2, groupsLookups(), "no lookup when groups are not shown");
    }

    private static long byNameLookups() {
        return GatewayTestInfrastructure.groupsByNameLookups().size();
    }

    private static io.restassured.response.ValidatableResponse lookUp(String userName) {
        return scim().queryParam("filter", "userName eq \"" + userName + "\"").get("/scim/v2/Users").then()
                .statusCode(200);
    }

    /**
     * A {@code userName eq} lookup asks for the found user's groups after it, by id, until the connection's latest
     * lookup found its user; from then on beside it, by name. A sync's lookups, which find nobody, carry no second
     * call; the groups shown are always the found user's, even when group-sync-service names another user for the
     * name (its directory behind a rename).
     */
    @Test
    void aLookupAsksForGroupsBesideItOnceTheConnectionsLookupsFindTheirUsers() {
        String ada = createUser("beside-ada@example.com");
        String grace = createUser("beside-grace@example.com");
        String readers = createGroup("Beside-readers", ada);
        String writers = createGroup("Beside-writers", grace);
        lookUp("beside-nobody-1@example.com").body("totalResults", equalTo(0));
        long byName = byNameLookups();
        long byId = groupsLookups();

        lookUp("beside-nobody-2@example.com").body("totalResults", equalTo(0));
        assertEquals(byName, byNameLookups(), "after a lookup that found nobody: no groups asked beside the next");
        assertEquals(byId, groupsLookups(), "nobody found: no groups to ask");

        lookUp("beside-ada@example.com").body("Resources[0].groups.value", contains(readers));
        assertEquals(byName, byNameLookups());
        assertEquals(byId + 1, groupsLookups(), "found after a miss: the groups asked by id, after the lookup");

        lookUp("BESIDE-grace@example.com").body("Resources[0].groups.value", contains(writers));
        assertEquals(byName + 1, byNameLookups(), "found after a find: the groups asked by name, beside the lookup");
        assertEquals(byId + 1, groupsLookups());

        given().contentType("application/json").body("{\"userName\":\"beside-ada@example.com\",\"userId\":\""
                + grace + "\"}").post(GatewayTestInfrastructure.groupSyncUrl() + "/fake/misnamed").then().statusCode(200);
        lookUp("beside-ada@example.com").body("Resources[0].id", equalTo(ada))
                .body("Resources[0].groups.value", contains(readers));
        assertEquals(byName + 2, byNameLookups());
        assertEquals(byId + 2, groupsLookups(), "another user named: the found user's groups asked by id after all");

        lookUp("beside-nobody-3@example.com").body("totalResults", equalTo(0)).body("Resources", anyOf(nullValue(), empty()));
        assertEquals(byName + 3, byNameLookups(), "asked beside a lookup that then found nobody; nothing shown");
        lookUp("beside-nobody-4@example.com").body("totalResults", equalTo(0));
        assertEquals(byName + 3, byNameLookups());
        assertEquals(byId + 2, groupsLookups());
    }

    @Test
    void aCreateAsksForGroupsOnlyForAnAccountThatExistedBefore() {
        long before = groupsLookups();
        String fresh = createUser("fresh-ada@example.com");
        assertEquals(before, groupsLookups(), "a user created just now (version 1) is in no group: nothing to ask");
        scim().get("/scim/v2/Users/{id}", fresh).then().statusCode(200);
        assertEquals(before + 1, groupsLookups(), "a read asks: the user may have been added to a group since");

        // The fake membership-service answers an 'adopted-' create as an existing (JIT) account taken over by SCIM.
        scim().body("{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\"],\"userName\":\"adopted-ada@example.com\"}")
                .post("/scim/v2/Users").then().statusCode(201).header("ETag", equalTo("W/\"2\""));
        assertEquals(before + 2, groupsLookups(), "an adopted account may already be in groups");
    }

    /** A PUT or PATCH of a user answers with the groups it is in, asked once, beside the write. */
    @Test
    void aWriteOfAUserAnswersWithItsGroups() {
        String ada = createUser("written-ada@example.com");
        String readers = createGroup("Written-readers", ada);
        String put = "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\"],"
                + "\"userName\":\"written-ada@example.com\",\"name\":{\"givenName\":\"Ada\"}}";
        long before = groupsLookups();

        scim().body(put).put("/scim/v2/Users/{id}", ada).then().statusCode(200)
                .body("name.givenName", equalTo("Ada")).body("groups.value", contains(readers));
        assertEquals(before + 1, groupsLookups());
        scim().body(patch("[{\"op\":\"replace\",\"path\":\"active\",\"value\":false}]"))
                .patch("/scim/v2/Users/{id}", ada).then().statusCode(200)
                .body("active", equalTo(false)).body("groups.value", contains(readers));
        assertEquals(before + 2, groupsLookups());

        scim().body(put).queryParam("excludedAttributes", "groups").put("/scim/v2/Users/{id}", ada).then()
                .statusCode(200).body("groups", nullValue());
        assertEquals(before + 2, groupsLookups(), "groups left out of the answer: not asked");
        scim().body(patch("[{\"op\":\"replace\",\"path\":\"active\",\"value\":true}]"))
                .patch("/scim/v2/Users/{id}", "00000000-0000-0000-0000-000000000000").then().statusCode(404)
                .contentType(SCIM).body("status", equalTo("404"));
    }

    @Test
    void groupsAreDiscoverableAndTheirEndpointCaseInsensitive() {
        scim().get("/scim/v2/ResourceTypes").then().statusCode(200)
                .body("Resources.endpoint", hasItem("/Groups"));
        scim().get("/scim/v2/ResourceTypes/group").then().statusCode(200).body("schema", equalTo(GROUP_URN));
        scim().get("/scim/v2/Schemas/" + GROUP_URN).then().statusCode(200)
                .body("attributes.find { it.name == 'displayName' }.required", equalTo(true))
                .body("attributes.find { it.name == 'members' }.subAttributes.name",
                        contains("value", "display", "$ref", "type"));
        String id = createGroup("Cased");
        scim().get("/scim/v2/GROUPS/{id}", id).then().statusCode(200).body("id", equalTo(id));
    }

    @Test
    void theAdminApiPassesGroupMappingsAndTeamsToGroupSync() {
        RequestSpecification admin = given().header("Authorization", "Bearer " + GatewayTestInfrastructure.ADMIN_TOKEN);
        admin.get("/admin/v1/connections/acme-sso/group-mappings").then().statusCode(200)
                .body("servedBy", equalTo("group-sync"))
                .body("path", equalTo("/internal/v1/admin/connections/acme-sso/group-mappings"));
        admin.get("/admin/v1/organizations/acme/teams/backend/members").then().statusCode(200)
                .body("servedBy", equalTo("group-sync"));
        admin.get("/admin/v1/organizations/test-org").then().statusCode(200).body("name", equalTo("test-org"));
    }

    /** Text no database holds is refused by the gateway, where the owner would fail on it with a 500. */
    @Test
    void theAdminApiRefusesU0000AndHalfSurrogatesBeforePassingACall() {
        RequestSpecification admin = given().header("Authorization", "Bearer " + GatewayTestInfrastructure.ADMIN_TOKEN)
                .contentType("application/json");
        admin.body("{\"email\":\"a\\u0000b@example.com\"}").post("/admin/v1/organizations/acme/invitations").then()
                .statusCode(400).body("status", equalTo(400)).body("detail", containsString("U+0000"));
        admin.body("{\"email\":\"a\\ud800b@example.com\"}").post("/admin/v1/organizations/acme/invitations").then()
                .statusCode(400).body("detail", containsString("surrogate"));
        admin.urlEncodingEnabled(false).get("/admin/v1/connections/x%00y").then().statusCode(400)
                .body("detail", containsString("U+0000"));
        admin.urlEncodingEnabled(false).get("/admin/v1/organizations/acme/members?search=a%00b").then()
                .statusCode(400);
        given().header("Authorization", "Bearer " + GatewayTestInfrastructure.ADMIN_TOKEN)
                .get("/admin/v1/organizations/test-org").then().statusCode(200).body("name", equalTo("test-org"));
    }

    @Test
    void groupCommandsAreMeteredByResource() {
        createGroup("Metered");
        given().get("/q/metrics").then().body(containsString(
                "scim_command_outcome_seconds_count{resource=\"group\",result=\"applied\",type=\"create\"}"));
    }
}
