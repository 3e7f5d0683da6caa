package dev.scimsync.e2e;

import static dev.scimsync.e2e.ScimClient.CORE_USER;
import static dev.scimsync.e2e.ScimClient.ENTERPRISE;
import static dev.scimsync.e2e.ScimClient.PATCH_OP;
import static dev.scimsync.e2e.ScimClient.SCIM;
import static dev.scimsync.e2e.ScimClient.scim;
import static dev.scimsync.e2e.ScimClient.uniquePrefix;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Filters, paging, sorting, projection, ETags and discovery against the running services. */
class ScimUsersProtocolIT {

    private static String prefix;
    private static String adaId;

    @BeforeAll
    static void users() {
        prefix = uniquePrefix("proto");
        adaId = create("ada", "Lovelace", "ada@engines.test", "work", "Analytical Engines", true);
        create("grace", "Hopper", "grace@navy.test", "work", "Navy", true);
        create("linus", "Torvalds", "linus@home.test", "home", null, false);
    }

    private static String create(String name, String familyName, String email, String type, String department,
            boolean active) {
        String extension = department == null ? "" : ",\"%s\":{\"department\":\"%s\"}".formatted(ENTERPRISE, department);
        return scim().body("""
                {"schemas":["%s"],"userName":"%s%s@example.com","active":%s,"title":"%s",
                 "name":{"givenName":"%s","familyName":"%s"},"emails":[{"value":"%s","type":"%s","primary":true}]%s}"""
                .formatted(CORE_USER, prefix, name, active, name.equals("linus") ? "" : "Engineer", name, familyName, email,
                        type, extension)).post("/Users").then().statusCode(201).extract().path("id");
    }

    private static io.restassured.response.ValidatableResponse filter(String filter) {
        return scim().queryParam("filter", "userName sw \"" + prefix + "\" and (" + filter + ")")
                .queryParam("sortBy", "userName").get("/Users").then().statusCode(200).contentType(SCIM);
    }

    @Test
    void theFullFilterGrammarRunsAgainstStoredUsers() {
        filter("emails[type eq \"work\" and value co \"@ENGINES\"]").body("Resources.name.givenName", contains("ada"));
        // Entra ID's shape when email is a matching attribute (outside RFC 7644's grammar): a value filter's
        // sub-attribute compared after it.
        filter("emails[type eq \"work\"].value eq \"GRACE@navy.test\"").body("Resources.name.givenName",
                contains("grace"));
        filter("emails[type eq \"work\"].value eq \"linus@home.test\"").body("totalResults", equalTo(0));
        filter("name.familyName sw \"hop\" or name.familyName ew \"valds\"")
                .body("Resources.name.givenName", contains("grace", "linus"));
        filter("not (title pr)").body("Resources.name.givenName", contains("linus"));
        filter("active eq false").body("Resources.name.givenName", contains("linus"));
        filter(ENTERPRISE + ":department eq \"navy\"").body("Resources.name.givenName", contains("grace"));
        filter("meta.created gt \"2020-01-01T00:00:00Z\" and emails.type eq \"home\"")
                .body("Resources.name.givenName", contains("linus"));
        filter("title pr and name.familyName ne \"Hopper\"").body("Resources.name.givenName", contains("ada"));
    }

    @Test
    void brokenFiltersAre400InvalidFilter() {
        scim().queryParam("filter", "userName eq").get("/Users").then().statusCode(400).contentType(SCIM)
                .body("scimType", equalTo("invalidFilter"));
        scim().queryParam("filter", "nope eq \"x\"").get("/Users").then().statusCode(400)
                .body("scimType", equalTo("invalidFilter"));
        scim().queryParam("filter", "meta.created gt \"last week\"").get("/Users").then().statusCode(400)
                .body("scimType", equalTo("invalidFilter"));
    }

    @Test
    void pagingAndSortingAreStable() {
        String scope = "userName sw \"" + prefix + "\"";
        scim().queryParam("filter", scope).queryParam("sortBy", "name.familyName").queryParam("sortOrder", "descending")
                .queryParam("startIndex", 2).queryParam("count", 1).get("/Users")
                .then().statusCode(200)
                .body("schemas", contains("urn:ietf:params:scim:api:messages:2.0:ListResponse"))
                .body("totalResults", equalTo(3)).body("startIndex", equalTo(2)).body("itemsPerPage", equalTo(1))
                .body("Resources.name.familyName", contains("Lovelace"));
        scim().queryParam("filter", scope).queryParam("count", 0).get("/Users")
                .then().statusCode(200).body("totalResults", equalTo(3)).body("Resources", hasSize(0));
        scim().queryParam("filter", scope).queryParam("count", 5000).get("/Users")
                .then().statusCode(200).body("itemsPerPage", equalTo(3));
    }

    /** RFC 9865: a cursor walk through membership-service's keyset pages sees each user once, then ends. */
    @Test
    void aCursorWalkSeesEachUserOnce() {
        String scope = "userName sw \"" + prefix + "\"";
        List<String> walked = new ArrayList<>();
        String cursor = "";
        while (cursor != null) {
            Response page = scim().queryParam("filter", scope).queryParam("cursor", cursor)
                    .queryParam("count", 1).get("/Users");
            page.then().statusCode(200).contentType(SCIM).body("totalResults", equalTo(3))
                    .body("itemsPerPage", equalTo(1)).body("$", not(hasKey("startIndex")));
            walked.add(page.path("Resources[0].userName"));
            cursor = page.path("nextCursor");
        }
        assertEquals(List.of(prefix + "ada@example.com", prefix + "grace@example.com", prefix + "linus@example.com"),
                walked, "in creation order, each once");
        scim().queryParam("filter", scope).queryParam("cursor", "not-a-cursor").get("/Users").then()
                .statusCode(400).contentType(SCIM).body("scimType", equalTo("invalidCursor"));
    }

    @Test
    void projectionWithAttributesAndExcludedAttributes() {
        scim().queryParam("attributes", "userName,name.givenName," + ENTERPRISE + ":department")
                .get("/Users/{id}", adaId).then().statusCode(200)
                .body("id", equalTo(adaId)).body("userName", equalTo(prefix + "ada@example.com"))
                .body("name.givenName", equalTo("ada")).body("name.familyName", nullValue())
                .body("emails", nullValue()).body("meta", nullValue())
                .body("'" + ENTERPRISE + "'.department", equalTo("Analytical Engines"));
        scim().queryParam("excludedAttributes", "emails,meta,name").get("/Users/{id}", adaId).then().statusCode(200)
                .body("$", not(hasKey("emails"))).body("$", not(hasKey("name"))).body("id", equalTo(adaId))
                .body("title", equalTo("Engineer"));
    }

    @Test
    void searchWithAPostBody() {
        scim().body("""
                {"schemas":["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],"attributes":["userName"],
                 "filter":"userName sw \\"%s\\" and name.givenName eq \\"grace\\"","startIndex":1,"count":10}"""
                .formatted(prefix)).post("/Users/.search")
                .then().statusCode(200).body("totalResults", equalTo(1))
                .body("Resources[0].userName", equalTo(prefix + "grace@example.com"))
                .body("Resources[0].name", nullValue());
    }

    @Test
    void etagsGuardWritesAndSaveReads() {
        String id = create("etag", "Tag", "etag@example.test", "work", null, true);
        scim().header("If-None-Match", "W/\"1\"").get("/Users/{id}", id).then().statusCode(304);
        scim().header("If-None-Match", "W/\"9\"").get("/Users/{id}", id).then().statusCode(200)
                .header("ETag", equalTo("W/\"1\""));
        String patchTitle = "{\"schemas\":[\"%s\"],\"Operations\":[{\"op\":\"replace\",\"path\":\"title\",\"value\":\"CTO\"}]}"
                .formatted(PATCH_OP);
        scim().header("If-Match", "W/\"7\"").body(patchTitle).patch("/Users/{id}", id)
                .then().statusCode(412).contentType(SCIM).body("status", equalTo("412"));
        scim().header("If-Match", "W/\"1\"").body(patchTitle).patch("/Users/{id}", id)
                .then().statusCode(200).header("ETag", equalTo("W/\"2\"")).body("title", equalTo("CTO"));
        scim().header("If-Match", "W/\"1\"").body("{\"schemas\":[\"%s\"],\"userName\":\"%setag@example.com\"}"
                .formatted(CORE_USER, prefix)).put("/Users/{id}", id).then().statusCode(412);
        scim().header("If-Match", "W/\"1\"").delete("/Users/{id}", id).then().statusCode(412);
        scim().header("If-Match", "W/\"2\"").delete("/Users/{id}", id).then().statusCode(204);
    }

    @Test
    void patchFailuresCarryTheirScimType() {
        String body = "{\"schemas\":[\"%s\"],\"Operations\":[%s]}";
        scim().body(body.formatted(PATCH_OP, "{\"op\":\"replace\",\"path\":\"emails[type eq\",\"value\":1}"))
                .patch("/Users/{id}", adaId).then().statusCode(400).body("scimType", equalTo("invalidPath"));
        scim().body(body.formatted(PATCH_OP, "{\"op\":\"remove\",\"path\":\"emails[type eq \\\"fax\\\"]\"}"))
                .patch("/Users/{id}", adaId).then().statusCode(400).body("scimType", equalTo("noTarget"));
        scim().body(body.formatted(PATCH_OP, "{\"op\":\"replace\",\"path\":\"id\",\"value\":\"x\"}"))
                .patch("/Users/{id}", adaId).then().statusCode(400).body("scimType", equalTo("mutability"));
        scim().body(body.formatted(PATCH_OP, "{\"op\":\"replace\",\"path\":\"active\",\"value\":\"perhaps\"}"))
                .patch("/Users/{id}", adaId).then().statusCode(400).body("scimType", equalTo("invalidValue"));
        scim().get("/Users/{id}", adaId).then().body("meta.version", equalTo("W/\"1\""));
    }

    @Test
    void renamingOntoATakenUserNameIs409() {
        scim().body("{\"schemas\":[\"%s\"],\"Operations\":[{\"op\":\"replace\",\"path\":\"userName\",\"value\":\"%sGRACE@example.com\"}]}"
                .formatted(PATCH_OP, prefix)).patch("/Users/{id}", adaId)
                .then().statusCode(409).body("scimType", equalTo("uniqueness"));
    }

    @Test
    void discoveryDescribesWhatIsSupported() {
        scim().get("/ServiceProviderConfig").then().statusCode(200).contentType(SCIM)
                .body("patch.supported", equalTo(true)).body("filter.supported", equalTo(true))
                .body("filter.maxResults", equalTo(200)).body("sort.supported", equalTo(true))
                .body("etag.supported", equalTo(true)).body("bulk.supported", equalTo(true))
                .body("bulk.maxOperations", equalTo(200)).body("bulk.maxPayloadSize", equalTo(4_194_304))
                .body("authenticationSchemes[0].type", equalTo("oauthbearertoken"))
                .body("pagination.cursor", equalTo(true)).body("pagination.index", equalTo(true))
                .body("pagination.defaultPaginationMethod", equalTo("index"));
        scim().get("/ResourceTypes").then().statusCode(200).body("Resources[0].name", equalTo("User"))
                .body("Resources[0].schemaExtensions.schema", hasItem("urn:ietf:params:scim:schemas:extension:docker:2.0:User"));
        scim().get("/ResourceTypes/User").then().statusCode(200).body("endpoint", equalTo("/Users"));
        scim().get("/ResourceTypes/Group").then().statusCode(200).body("endpoint", equalTo("/Groups"));
        // Core User, Enterprise User, the role-mapping extension and core Group.
        scim().get("/Schemas").then().statusCode(200).body("totalResults", equalTo(4));
        scim().get("/Schemas/{urn}", "urn:ietf:params:scim:schemas:core:2.0:Group").then().statusCode(200)
                .body("attributes.find { it.name == 'displayName' }.required", equalTo(true));
        scim().get("/Schemas/{urn}", CORE_USER).then().statusCode(200)
                .body("attributes.find { it.name == 'password' }.returned", equalTo("never"))
                .body("attributes.find { it.name == 'groups' }.mutability", equalTo("readOnly"));
        scim().get("/Schemas/{urn}", "urn:ietf:params:scim:schemas:extension:docker:2.0:User").then().statusCode(200)
                .body("attributes.find { it.name == 'dockerRole' }.canonicalValues", contains("member", "editor", "owner"));
        scim().get("/Schemas/urn:nope").then().statusCode(404).contentType(SCIM);
    }

    /** RFC 7644 section 3.7.2's example: a user, and a group naming it by bulkId, in one request. */
    @Test
    void bulkCreatesAUserAndAGroupThatNamesItByBulkId() {
        var response = scim().body("""
                {"schemas":["urn:ietf:params:scim:api:messages:2.0:BulkRequest"],"Operations":[
                  {"method":"POST","path":"/Users","bulkId":"qwerty","data":{"schemas":["%s"],"userName":"%sbulk@example.com"}},
                  {"method":"POST","path":"/Groups","bulkId":"ytrewq","data":{
                    "schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"%sbulk",
                    "members":[{"type":"User","value":"bulkId:qwerty"}]}},
                  {"method":"POST","path":"/Users","bulkId":"taken","data":{"userName":"%sBULK@example.com"}}]}"""
                .formatted(CORE_USER, prefix, prefix, prefix)).post("/Bulk");

        response.then().statusCode(200).contentType(SCIM)
                .body("Operations.status", contains("201", "201", "409"))
                .body("Operations[2].response.scimType", equalTo("uniqueness"));
        String userLocation = response.path("Operations[0].location");
        scim().get(response.<String>path("Operations[1].location")).then().statusCode(200)
                .body("members.value", contains(userLocation.substring(userLocation.lastIndexOf('/') + 1)));
    }

    @Test
    void oversizedAndMistypedBodiesAreRefusedWithScimErrors() {
        String big = "{\"userName\":\"x@example.com\",\"title\":\"" + "x".repeat(4_300_000) + "\"}";
        scim().body(big).post("/Users").then().statusCode(413).contentType(SCIM).body("status", equalTo("413"));
        scim().contentType("text/plain").body("{}").post("/Users").then().statusCode(415).contentType(SCIM);
    }
}
