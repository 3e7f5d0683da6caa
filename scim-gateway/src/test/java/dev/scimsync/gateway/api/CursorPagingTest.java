package dev.scimsync.gateway.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * RFC 9865 cursor paging of Users and Groups through the gateway, beside index paging: a walk sees every resource
 * once while others are created, and a cursor is good only for the connection, resource type and filter it was
 * issued for.
 */
@QuarkusTest
@QuarkusTestResource(value = GatewayTestInfrastructure.class, restrictToAnnotatedClass = true)
class CursorPagingTest {

    private static final String SCIM = "application/scim+json";

    private static RequestSpecification scim() {
        return scim(GatewayTestInfrastructure.TOKEN);
    }

    private static RequestSpecification scim(String token) {
        return given().header("Authorization", "Bearer " + token).contentType(SCIM);
    }

    private static String createUser(String token, String userName) {
        return scim(token).body("""
                {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"%s"}""".formatted(userName))
                .post("/scim/v2/Users").then().statusCode(201).extract().path("id");
    }

    /** Users of the test connection made at once, as if provisioned before: their ids. */
    private static List<String> existingUsers(int count) {
        String url = ConfigProvider.getConfig().getValue("quarkus.rest-client.membership.url", String.class);
        return given().post(url + "/fake/users?count=" + count).then().statusCode(200).extract().jsonPath()
                .getList("", String.class);
    }

    @Test
    void aWalkOf250UsersByHundredsSeesEachOnceInOrderWhileUsersAreCreatedBetweenPages() {
        List<String> existing = existingUsers(250);
        List<String> walked = new ArrayList<>();
        List<Integer> pageSizes = new ArrayList<>();
        String cursor = "";
        int page = 0;
        while (cursor != null) {
            Response answer = scim().queryParam("cursor", cursor).queryParam("count", 100).get("/scim/v2/Users");
            answer.then().statusCode(200).contentType(SCIM)
                    .body("schemas", contains("urn:ietf:params:scim:api:messages:2.0:ListResponse"))
                    .body("$", not(hasKey("startIndex")))
                    .body("$", not(hasKey("previousCursor")))
                    .body("totalResults", notNullValue());
            List<String> ids = answer.jsonPath().getList("Resources.id", String.class);
            assertEquals(ids.size(), answer.jsonPath().getInt("itemsPerPage"));
            walked.addAll(ids);
            pageSizes.add(ids.size());
            cursor = answer.jsonPath().getString("nextCursor");
            if (cursor != null) {
                // An IdP's sync goes on while the walk does.
                createUser(GatewayTestInfrastructure.TOKEN, "walking-" + page++ + "@example.com");
            }
        }

        assertEquals(walked.size(), new HashSet<>(walked).size(), "no user twice");
        List<String> walkedExisting = walked.stream().filter(Set.copyOf(existing)::contains).toList();
        // Made in the same millisecond, they are in id order.
        assertEquals(existing.stream().sorted().toList(), walkedExisting, "each user that existed, once, in order");
        assertEquals(List.of(100, 100), pageSizes.subList(0, 2));
        assertTrue(walked.size() >= 252, "the users created while walking come at the end: " + walked.size());
    }

    @Test
    void searchByPostTakesTheCursorInItsBodyAndAnEmptyCursorParameterIsTheFirstPage() {
        List<String> created = List.of(createUser(GatewayTestInfrastructure.OTHER_TOKEN, "post-1@example.com"),
                createUser(GatewayTestInfrastructure.OTHER_TOKEN, "post-2@example.com"),
                createUser(GatewayTestInfrastructure.OTHER_TOKEN, "post-3@example.com"));
        String search = "/scim/v2/Users/.search";

        Response first = scim(GatewayTestInfrastructure.OTHER_TOKEN).body("""
                {"schemas":["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],"cursor":"","count":2}""")
                .post(search);
        first.then().statusCode(200).body("itemsPerPage", equalTo(2)).body("$", not(hasKey("startIndex")));
        List<String> walked = new ArrayList<>(first.jsonPath().getList("Resources.id", String.class));
        String cursor = first.path("nextCursor");
        while (cursor != null) {
            Response page = scim(GatewayTestInfrastructure.OTHER_TOKEN).body(Map.of("cursor", cursor, "count", 2))
                    .post(search);
            page.then().statusCode(200);
            walked.addAll(page.jsonPath().getList("Resources.id", String.class));
            cursor = page.jsonPath().getString("nextCursor");
        }
        assertEquals(walked.size(), new HashSet<>(walked).size(), "no user twice");
        assertTrue(walked.containsAll(created), walked + " lacks some of " + created);
        // The RFC's "?cursor&count=2": a cursor parameter without a value asks for the first page.
        given().urlEncodingEnabled(false).header("Authorization", "Bearer " + GatewayTestInfrastructure.OTHER_TOKEN)
                .get("/scim/v2/Users?cursor&count=2").then().statusCode(200)
                .body("Resources.id", equalTo(first.jsonPath().getList("Resources.id")))
                .body("nextCursor", notNullValue());
    }

    @Test
    void aPageOfNoneCountsAndKeepsItsPlace() {
        createUser(GatewayTestInfrastructure.OTHER_TOKEN, "none-1@example.com");

        String cursor = scim(GatewayTestInfrastructure.OTHER_TOKEN).queryParam("cursor", "").queryParam("count", 0)
                .get("/scim/v2/Users").then().statusCode(200).body("itemsPerPage", equalTo(0))
                .body("totalResults", notNullValue()).extract().path("nextCursor");

        scim(GatewayTestInfrastructure.OTHER_TOKEN).queryParam("cursor", cursor).queryParam("count", 1)
                .get("/scim/v2/Users").then().statusCode(200).body("itemsPerPage", equalTo(1));
    }

    @Test
    void aTamperedOrMadeUpCursorIs400InvalidCursor() {
        String cursor = firstCursor(GatewayTestInfrastructure.TOKEN);
        String tampered = cursor.charAt(3) == 'A' ? cursor.substring(0, 3) + "B" + cursor.substring(4)
                : cursor.substring(0, 3) + "A" + cursor.substring(4);

        for (String forged : List.of(tampered, "VZUTiyhEQJ94IR", "../../etc/passwd", "' or 1=1 --")) {
            scim().queryParam("cursor", forged).get("/scim/v2/Users").then().statusCode(400).contentType(SCIM)
                    .body("schemas", contains("urn:ietf:params:scim:api:messages:2.0:Error"))
                    .body("status", equalTo("400")).body("scimType", equalTo("invalidCursor"))
                    .body("detail", containsString("nextCursor"));
        }
    }

    @Test
    void aCursorOfOneConnectionIsInvalidForAnotherAndForAnotherResourceTypeOrFilter() {
        String cursor = firstCursor(GatewayTestInfrastructure.TOKEN);

        scim(GatewayTestInfrastructure.OTHER_TOKEN).queryParam("cursor", cursor).get("/scim/v2/Users").then()
                .statusCode(400).body("scimType", equalTo("invalidCursor"));
        scim().queryParam("cursor", cursor).get("/scim/v2/Groups").then()
                .statusCode(400).body("scimType", equalTo("invalidCursor"));
        scim().queryParam("cursor", cursor).queryParam("filter", "active eq true").get("/scim/v2/Users").then()
                .statusCode(400).body("scimType", equalTo("invalidCursor"));
    }

    @Test
    void cursorWithStartIndexOrSortByIs400InvalidValue() {
        scim().queryParam("cursor", "").queryParam("startIndex", 1).get("/scim/v2/Users").then()
                .statusCode(400).contentType(SCIM).body("scimType", equalTo("invalidValue"))
                .body("detail", containsString("startIndex"));
        scim().body(Map.of("cursor", "", "startIndex", 1)).post("/scim/v2/Groups/.search").then()
                .statusCode(400).body("scimType", equalTo("invalidValue"));
        scim().queryParam("cursor", "").queryParam("sortBy", "userName").get("/scim/v2/Users").then()
                .statusCode(400).body("scimType", equalTo("invalidValue")).body("detail", containsString("sortBy"));
    }

    /** Not JAX-RS's 404 for a parameter it cannot convert: the list exists, the value is wrong. */
    @Test
    void aPagingValueThatIsNoIntegerIs400InvalidValueAndAnEmptyOneIsAbsent() {
        for (String[] parameter : new String[][] {{"count", "abc"}, {"startIndex", "1.5"}, {"count", "ten"}}) {
            scim().queryParam(parameter[0], parameter[1]).get("/scim/v2/Users").then().statusCode(400)
                    .contentType(SCIM).body("scimType", equalTo("invalidValue"))
                    .body("detail", containsString("'" + parameter[0] + "' must be an integer"));
        }
        scim().queryParam("count", "").queryParam("startIndex", "").get("/scim/v2/Groups").then().statusCode(200)
                .body("startIndex", equalTo(1));
        scim().queryParam("count", "3000000000").queryParam("startIndex", "-3000000000").get("/scim/v2/Users").then()
                .statusCode(200).body("startIndex", equalTo(1));
        scim().queryParam("startIndex", "3000000000").get("/scim/v2/Users").then().statusCode(200)
                .body("itemsPerPage", equalTo(0)).body("startIndex", equalTo(Integer.MAX_VALUE));
        scim().body(Map.of("count", 3000000000L)).post("/scim/v2/Users/.search").then().statusCode(200);
    }

    @Test
    void indexPagingIsAsBefore() {
        createUser(GatewayTestInfrastructure.OTHER_TOKEN, "index-1@example.com");
        createUser(GatewayTestInfrastructure.OTHER_TOKEN, "index-2@example.com");

        scim(GatewayTestInfrastructure.OTHER_TOKEN).queryParam("startIndex", 2).queryParam("count", 1)
                .get("/scim/v2/Users").then().statusCode(200).body("startIndex", equalTo(2))
                .body("itemsPerPage", equalTo(1)).body("$", not(hasKey("nextCursor")));
        scim(GatewayTestInfrastructure.OTHER_TOKEN).get("/scim/v2/Users").then().statusCode(200)
                .body("startIndex", equalTo(1)).body("$", not(hasKey("nextCursor")));
    }

    @Test
    void groupsWalkByCursorToo() {
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            created.add(scim().body("""
                    {"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"cursor-%d-%s"}"""
                    .formatted(i, UUID.randomUUID())).post("/scim/v2/Groups").then().statusCode(201)
                    .extract().<String>path("id"));
        }
        List<String> walked = new ArrayList<>();
        String cursor = "";
        while (cursor != null) {
            Response page = scim().queryParam("cursor", cursor).queryParam("count", 2)
                    .queryParam("excludedAttributes", "members").get("/scim/v2/Groups");
            page.then().statusCode(200).body("$", not(hasKey("startIndex")));
            walked.addAll(page.jsonPath().getList("Resources.id", String.class));
            cursor = page.jsonPath().getString("nextCursor");
        }

        assertEquals(walked.size(), new HashSet<>(walked).size());
        assertTrue(walked.containsAll(created), walked + " lacks some of " + created);
    }

    @Test
    void serviceProviderConfigAdvertisesBothPaginationMethods() {
        scim().get("/scim/v2/ServiceProviderConfig").then().statusCode(200)
                .body("pagination.cursor", equalTo(true))
                .body("pagination.index", equalTo(true))
                .body("pagination.defaultPaginationMethod", equalTo("index"))
                .body("pagination.defaultPageSize", equalTo(200))
                .body("pagination.maxPageSize", equalTo(200))
                .body("pagination.cursorTimeout", equalTo(3600));
    }

    /** The nextCursor of a first page of one user of the connection, after making two. */
    private static String firstCursor(String token) {
        createUser(token, "cursor-" + UUID.randomUUID() + "@example.com");
        createUser(token, "cursor-" + UUID.randomUUID() + "@example.com");
        return scim(token).queryParam("cursor", "").queryParam("count", 1).get("/scim/v2/Users").then()
                .statusCode(200).body("nextCursor", notNullValue()).extract().path("nextCursor");
    }
}
