package dev.scimsync.gateway.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.scimsync.contracts.ContractJson;
import dev.scimsync.contracts.Topics;
import dev.scimsync.contracts.UserCommand;
import dev.scimsync.testsupport.KafkaTestClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = GatewayTestInfrastructure.class, restrictToAnnotatedClass = true)
class ScimUsersResourceTest {

    private static final String SCIM = "application/scim+json";

    private static RequestSpecification scim() {
        return given().header("Authorization", "Bearer " + GatewayTestInfrastructure.TOKEN).contentType(SCIM);
    }

    private static String user(String userName) {
        return """
                {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],
                 "userName":"%s","externalId":"ext-%s","active":true,
                 "name":{"givenName":"Ada","familyName":"Lovelace"},
                 "emails":[{"value":"%s","type":"work","primary":true}],
                 "password":"t0p-secret","id":"client-chosen","meta":{"resourceType":"User"}}
                """.formatted(userName, userName, userName);
    }

    /**
     * The lookup an IdP makes before every create goes to membership-service with the lookups made beside it
     * ({@link UserNameLookupCalls}); the answer is the ListResponse a query would give. Any other filter is a
     * query of its own.
     */
    @Test
    void aUserNameLookupIsAnsweredFromTheLookupsSentTogether() {
        String id = scim().body(user("lookup-grace@example.com")).post("/scim/v2/Users").then().statusCode(201)
                .extract().path("id");
        int callsBefore = GatewayTestInfrastructure.USER_NAME_LOOKUP_CALLS.size();

        scim().queryParam("filter", "userName eq \"LOOKUP-Grace@example.com\"").get("/scim/v2/Users").then()
                .statusCode(200).contentType(SCIM)
                .body("schemas", contains("urn:ietf:params:scim:api:messages:2.0:ListResponse"))
                .body("totalResults", equalTo(1)).body("itemsPerPage", equalTo(1)).body("startIndex", equalTo(1))
                .body("Resources.id", contains(id)).body("Resources.userName", contains("lookup-grace@example.com"));
        scim().queryParam("filter", "userName eq \"nobody@example.com\"").get("/scim/v2/Users").then()
                .statusCode(200).body("totalResults", equalTo(0)).body("Resources", anyOf(nullValue(), empty()));
        assertEquals(callsBefore + 2, GatewayTestInfrastructure.USER_NAME_LOOKUP_CALLS.size());

        // Not only a userName: a query of its own
        scim().queryParam("filter", "userName eq \"lookup-grace@example.com\" and active eq true").get("/scim/v2/Users")
                .then().statusCode(200);
        scim().queryParam("filter", "userName eq \"lookup-grace@example.com\"").queryParam("startIndex", 2)
                .get("/scim/v2/Users").then().statusCode(200);
        assertEquals(callsBefore + 2, GatewayTestInfrastructure.USER_NAME_LOOKUP_CALLS.size());
    }

    @Test
    void createAnswers201WithTheStoredResourceAndGetReturnsTheSame() {
        Response created = scim().body(user("ada@example.com")).post("/scim/v2/Users");

        created.then().statusCode(201)
                .contentType(SCIM)
                .header("Location", matchesPattern(".*/scim/v2/Users/[0-9a-f-]{36}"))
                .header("ETag", equalTo("W/\"1\""))
                .body("schemas", contains("urn:ietf:params:scim:schemas:core:2.0:User"))
                .body("id", matchesPattern("[0-9a-f-]{36}"))
                .body("userName", equalTo("ada@example.com"))
                .body("externalId", equalTo("ext-ada@example.com"))
                .body("name.familyName", equalTo("Lovelace"))
                .body("emails[0].value", equalTo("ada@example.com"))
                .body("password", nullValue())
                .body("meta.resourceType", equalTo("User"))
                .body("meta.created", notNullValue())
                .body("meta.lastModified", notNullValue())
                .body("meta.version", equalTo("W/\"1\""));
        String id = created.path("id");
        assertEquals(created.header("Location"), created.path("meta.location"));

        Response read = scim().get("/scim/v2/Users/{id}", id);
        read.then().statusCode(200).contentType(SCIM).header("ETag", equalTo("W/\"1\""));
        assertEquals(created.jsonPath().getMap(""), read.jsonPath().getMap(""), "GET returns what POST answered");
    }

    /**
     * A deactivation or removal the mass-deprovisioning guard holds is answered as the IdP expects (200 with the
     * user as asked, 204), so that it neither retries nor quarantines the app; the user is unchanged meanwhile.
     */
    @Test
    void aHeldDeactivationOrRemovalIsAnsweredAsAppliedWhileTheUserStaysActive() {
        String id = scim().body(user("guarded-ada@example.com")).post("/scim/v2/Users").then().statusCode(201)
                .extract().path("id");

        scim().body("""
                {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                 "Operations":[{"op":"replace","value":{"active":false}}]}""")
                .patch("/scim/v2/Users/{id}", id).then().statusCode(200).contentType(SCIM)
                .body("active", equalTo(false)).body("userName", equalTo("guarded-ada@example.com"));
        scim().get("/scim/v2/Users/{id}", id).then().statusCode(200).body("active", equalTo(true));

        scim().delete("/scim/v2/Users/{id}", id).then().statusCode(204);
        scim().get("/scim/v2/Users/{id}", id).then().statusCode(200).body("active", equalTo(true));
    }

    /**
     * Only {@code active: true} re-activates: a PUT or PATCH that leaves {@code active} unassigned (absent, null,
     * removed) keeps the state the user has, so a profile update sent after a deactivation - by a script, or an
     * IdP that omits the attribute - never gives a de-provisioned user its access back.
     */
    @Test
    void anUpdateThatLeavesActiveUnassignedKeepsTheUsersState() {
        String id = scim().body(user("dormant-ada@example.com")).post("/scim/v2/Users").then().statusCode(201)
                .extract().path("id");
        String withoutActive = """
                {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"dormant-ada@example.com",
                 "title":"%s"%s}""";
        scim().body("""
                {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                 "Operations":[{"op":"replace","path":"active","value":false}]}""")
                .patch("/scim/v2/Users/{id}", id).then().statusCode(200).body("active", equalTo(false));

        scim().body(withoutActive.formatted("Countess", "")).put("/scim/v2/Users/{id}", id).then().statusCode(200)
                .body("active", equalTo(false)).body("title", equalTo("Countess"))
                .header("ETag", equalTo("W/\"3\""));
        scim().body(withoutActive.formatted("Analyst", ",\"active\":null")).header("If-Match", "W/\"3\"")
                .put("/scim/v2/Users/{id}", id).then().statusCode(200).body("active", equalTo(false))
                .body("title", equalTo("Analyst"));
        scim().body(withoutActive.formatted("Engineer", "")).header("If-Match", "W/\"3\"")
                .put("/scim/v2/Users/{id}", id).then().statusCode(412);
        scim().body("""
                {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                 "Operations":[{"op":"remove","path":"active"}]}""")
                .patch("/scim/v2/Users/{id}", id).then().statusCode(200).body("active", equalTo(false));
        scim().get("/scim/v2/Users/{id}", id).then().statusCode(200).body("active", equalTo(false))
                .body("title", equalTo("Analyst"));

        scim().body(withoutActive.formatted("Analyst", ",\"active\":true")).put("/scim/v2/Users/{id}", id).then()
                .statusCode(200).body("active", equalTo(true));
        scim().body(withoutActive.formatted("Engineer", "")).put("/scim/v2/Users/{id}", id).then().statusCode(200)
                .body("active", equalTo(true)).body("title", equalTo("Engineer"));
        scim().body("""
                {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                 "Operations":[{"op":"replace","value":{"title":"Lead","active":true}}]}""")
                .patch("/scim/v2/Users/{id}", id).then().statusCode(200).body("active", equalTo(true));

        // Each command says whether the IdP stated active or the gateway carried on the state it read, which
        // membership-service tells apart when the guard holds a deactivation of the user.
        assertEquals(List.of(false, true, true, true, false, true, false), KafkaTestClient.forQuarkusTest()
                .readToEnd(Topics.USER_COMMANDS).stream()
                .map(record -> ContractJson.read(record.value(), UserCommand.class))
                .filter(command -> id.equals(command.userId())).map(UserCommand::activeAsRead).toList());
    }

    /**
     * A PUT or PATCH stating {@code active: false} beside a value the schema check refuses (a title over its length
     * limit, a number for a string: a broken attribute mapping) deactivates the user alone: the command carries the
     * user's profile as it was with {@code active: false}, and the refusal for the connection's provisioning
     * errors. Of a user already deactivated, the refusal is the answer, as for any update.
     */
    @Test
    void aDeactivationBesideARefusedValueIsSentAlone() {
        String put = """
                {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"%s",
                 "title":"%s","active":"False"}""";
        String patch = """
                {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                 "Operations":[{"op":"Replace","path":"title","value":42},{"op":"Replace","path":"active","value":"False"}]}""";
        String tooLong = "T".repeat(5000);
        String viaPut = scim().body(user("alone-put@example.com")).post("/scim/v2/Users").then().statusCode(201)
                .extract().path("id");
        String viaPatch = scim().body(user("alone-patch@example.com")).post("/scim/v2/Users").then().statusCode(201)
                .extract().path("id");

        scim().body(put.formatted("alone-put@example.com", tooLong)).put("/scim/v2/Users/{id}", viaPut).then()
                .statusCode(200).body("active", equalTo(false)).body("name.givenName", equalTo("Ada"))
                .body("title", nullValue());
        scim().body(patch).patch("/scim/v2/Users/{id}", viaPatch).then().statusCode(200)
                .body("active", equalTo(false)).body("title", nullValue());
        // Sent again (an IdP retrying), the user is deactivated already: the refusal is the answer.
        scim().body(put.formatted("alone-put@example.com", tooLong)).put("/scim/v2/Users/{id}", viaPut).then()
                .statusCode(400).body("scimType", equalTo("invalidValue"))
                .body("detail", containsString("at most 1024 are accepted"));
        scim().body(patch).patch("/scim/v2/Users/{id}", viaPatch).then().statusCode(400)
                .body("detail", equalTo("'title' must be a string, got 42"));
        // Without active: false, a refused value refuses the request, as before.
        scim().body(put.formatted("alone-put@example.com", tooLong).replace("\"False\"", "true"))
                .put("/scim/v2/Users/{id}", viaPut).then().statusCode(400);

        List<UserCommand> sent = KafkaTestClient.forQuarkusTest().readToEnd(Topics.USER_COMMANDS).stream()
                .map(record -> ContractJson.read(record.value(), UserCommand.class))
                .filter(command -> viaPut.equals(command.userId()) || viaPatch.equals(command.userId())).toList();
        assertEquals(2, sent.size(), sent::toString);
        for (UserCommand command : sent) {
            assertEquals(false, command.profile().active());
            assertEquals("Ada", command.profile().attributes().path("name").path("givenName").asText());
            assertEquals(dev.scimsync.contracts.CommandFailure.Reason.INVALID_VALUE,
                    command.refusedAlongside().reason());
        }
        assertEquals("'title' must be a string, got 42", sent.stream().filter(c -> viaPatch.equals(c.userId()))
                .findFirst().orElseThrow().refusedAlongside().detail());
    }

    /**
     * membership-service cancels a query past its time and refuses one past the costly queries it runs and queues
     * (BoundedQueries): the IdP hears 400 tooMany (RFC 7644 section 3.4.2.2) and 429 with Retry-After, not a 503
     * it would retry for hours or a 500.
     */
    /**
     * A filter as long as the parser takes, in a URL: answered as SCIM (here 400 invalidFilter for its 101st
     * comparison), not with the HTTP server's bare 414 for a request line over its default 4,096 bytes.
     */
    @Test
    void aLongFilterInTheUrlIsAnsweredAsScim() {
        String comparison = "userName eq \"someone-with-a-long-name@example.com\"";
        String hundred = String.join(" or ", java.util.Collections.nCopies(100, comparison));
        // The test's membership-service answers every list alike: what matters is that the gateway read it.
        scim().queryParam("filter", hundred).get("/scim/v2/Users").then().statusCode(200).contentType(SCIM)
                .body("schemas", contains("urn:ietf:params:scim:api:messages:2.0:ListResponse"));
        scim().queryParam("filter", hundred + " or " + comparison).get("/scim/v2/Users").then().statusCode(400)
                .contentType(SCIM).body("scimType", equalTo("invalidFilter"))
                .body("detail", containsString("more than 100 comparisons"));
    }

    @Test
    void aCostlyQueryCancelledIs400TooManyAndOneWithoutATurnIs429() {
        scim().queryParam("filter", "title eq \"" + GatewayTestInfrastructure.COSTLY_QUERY_CANCELLED + "\"")
                .get("/scim/v2/Users").then().statusCode(400).contentType(SCIM)
                .body("scimType", equalTo("tooMany")).body("status", equalTo("400"))
                .body("detail", containsString("took longer than 3000 ms"))
                .body("detail", containsString("narrower filter"));
        scim().body("""
                {"schemas":["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],"filter":"title eq \\"%s\\""}"""
                .formatted(GatewayTestInfrastructure.COSTLY_QUERY_REFUSED)).post("/scim/v2/Users/.search").then()
                .statusCode(429).contentType(SCIM).header("Retry-After", notNullValue())
                .body("status", equalTo("429")).body("detail", containsString("costly queries"));
    }

    @Test
    void aSecondCreateWithTheSameUserNameInAnyCaseIs409Uniqueness() {
        scim().body(user("grace@example.com")).post("/scim/v2/Users").then().statusCode(201);

        scim().body(user("GRACE@example.COM")).post("/scim/v2/Users").then()
                .statusCode(409).contentType(SCIM)
                .body("schemas", contains("urn:ietf:params:scim:api:messages:2.0:Error"))
                .body("status", equalTo("409"))
                .body("scimType", equalTo("uniqueness"))
                .body("detail", startsWith("userName 'GRACE@example.COM' is already taken"));
    }

    @Test
    void noTokenOrAWrongTokenIs401WithAScimError() {
        given().contentType(SCIM).body(user("x@example.com")).post("/scim/v2/Users").then()
                .statusCode(401).contentType(SCIM).header("WWW-Authenticate", startsWith("Bearer"))
                .body("status", equalTo("401")).body("detail", startsWith("missing bearer token"));
        given().header("Authorization", "Bearer scim_aaaaaaaaaaaa_wrong-secret-0123456789abcd").contentType(SCIM)
                .body(user("x@example.com")).post("/scim/v2/Users").then()
                .statusCode(401).contentType(SCIM).body("status", equalTo("401"));
        given().header("Authorization", "Basic dXNlcjpwYXNz").get("/scim/v2/Users/any").then().statusCode(401);
    }

    @Test
    void aConnectionWithScimDisabledIs403() {
        given().header("Authorization", "Bearer " + GatewayTestInfrastructure.DISABLED_TOKEN).contentType(SCIM)
                .body(user("x@example.com")).post("/scim/v2/Users").then()
                .statusCode(403).contentType(SCIM).body("detail", startsWith("SCIM is not enabled"));
    }

    @Test
    void malformedJsonIs400InvalidSyntax() {
        scim().body("{\"userName\": ").post("/scim/v2/Users").then()
                .statusCode(400).contentType(SCIM)
                .body("status", equalTo("400")).body("scimType", equalTo("invalidSyntax"));
        scim().body("[1,2]").post("/scim/v2/Users").then().statusCode(400).body("scimType", equalTo("invalidSyntax"));
        scim().body("").post("/scim/v2/Users").then().statusCode(400).body("scimType", equalTo("invalidSyntax"));
    }

    @Test
    void aUserWithoutUserNameIs400InvalidValue() {
        scim().body("{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\"],\"displayName\":\"x\"}")
                .post("/scim/v2/Users").then()
                .statusCode(400).body("scimType", equalTo("invalidValue")).body("detail", equalTo("'userName' is required"));
        scim().body("{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:Group\"],\"userName\":\"x@example.com\"}")
                .post("/scim/v2/Users").then().statusCode(400).body("scimType", equalTo("invalidValue"));
    }

    @Test
    void applicationJsonIsAcceptedAndOtherMediaTypesAre415() {
        given().header("Authorization", "Bearer " + GatewayTestInfrastructure.TOKEN).contentType("application/json")
                .body(user("json@example.com")).post("/scim/v2/Users").then().statusCode(201);
        given().header("Authorization", "Bearer " + GatewayTestInfrastructure.TOKEN).contentType("text/plain")
                .body(user("text@example.com")).post("/scim/v2/Users").then()
                .statusCode(415).contentType(SCIM).body("status", equalTo("415"));
    }

    @Test
    void unknownIdsAre404WithAScimError() {
        scim().get("/scim/v2/Users/{id}", "2819c223-7f76-453a-919d-413861904646").then()
                .statusCode(404).contentType(SCIM).body("status", equalTo("404"))
                .body("detail", equalTo("User 2819c223-7f76-453a-919d-413861904646 not found"));
    }

    /**
     * Every id this service issues is a UUID: any other names nothing and is answered 404 at once, by every method
     * and in /Bulk, without a command (a removal with a NUL in its id once stopped membership-service's command
     * partition for good).
     */
    @Test
    void anIdThatIsNoUuidIs404AndSendsNoCommand() {
        List<String> ids = List.of("not-a-uuid", "x\u0000y", "2819c223-7f76-453a-919d-41386190464",
                "2819c223-7f76-453a-919d-413861904646-and-more");
        String patch = "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],"
                + "\"Operations\":[{\"op\":\"replace\",\"path\":\"active\",\"value\":false}]}";
        for (String id : ids) {
            scim().get("/scim/v2/Users/{id}", id).then().statusCode(404).contentType(SCIM)
                    .body("status", equalTo("404"));
            scim().body(user("no-id@example.com")).put("/scim/v2/Users/{id}", id).then().statusCode(404)
                    .contentType(SCIM).body("status", equalTo("404"));
            scim().body(patch).patch("/scim/v2/Users/{id}", id).then().statusCode(404).body("status", equalTo("404"));
            scim().delete("/scim/v2/Users/{id}", id).then().statusCode(404).body("status", equalTo("404"));
            scim().delete("/scim/v2/Groups/{id}", id).then().statusCode(404).body("detail", startsWith("Group "));
        }
        scim().body("""
                {"schemas":["urn:ietf:params:scim:api:messages:2.0:BulkRequest"],"Operations":[
                 {"method":"DELETE","path":"/Users/not-a-uuid"},
                 {"method":"DELETE","path":"/Users/2819c223-7f76-453a-919d-41386190464"}]}""")
                .post("/scim/v2/Bulk").then().statusCode(200)
                .body("Operations.status", contains("404", "404"));
        // A NUL anywhere in a body refuses the whole body (theCharacterU0000AndHalfSurrogatesAreRefused...).
        scim().body("""
                {"schemas":["urn:ietf:params:scim:api:messages:2.0:BulkRequest"],"Operations":[
                 {"method":"DELETE","path":"/Users/x\\u0000y"}]}""").post("/scim/v2/Bulk").then().statusCode(400)
                .body("scimType", equalTo("invalidValue"));
        assertEquals(0, KafkaTestClient.forQuarkusTest().count(Topics.USER_COMMANDS, UserCommand.class,
                command -> ids.contains(command.userId()), Duration.ofSeconds(2)));
    }

    /**
     * PostgreSQL holds no text with U+0000 or half a surrogate pair in it: a value carrying either, or a filter
     * carrying U+0000, is a 400 before anything is sent - not a command that fails in membership-service, a group
     * stored with a {@code ?} or a listing that answers 503.
     */
    @Test
    void theCharacterU0000AndHalfSurrogatesAreRefusedInBodiesAndTheNulInFilters() {
        scim().body(user("nul\\u0000@example.com")).post("/scim/v2/Users").then().statusCode(400).contentType(SCIM)
                .body("scimType", equalTo("invalidValue")).body("detail", containsString("U+0000"));
        scim().body("{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\"],"
                + "\"userName\":\"nul-key@example.com\",\"urn:x\\u0000\":{}}").post("/scim/v2/Users").then().statusCode(400)
                .body("scimType", equalTo("invalidValue"));
        scim().body(user("half\\ud800@example.com")).post("/scim/v2/Users").then().statusCode(400)
                .body("scimType", equalTo("invalidValue")).body("detail", containsString("\\ud800 alone"));
        scim().body(user("half\\udc00\\ud800@example.com")).post("/scim/v2/Users").then().statusCode(400)
                .body("detail", containsString("\\udc00 alone"));
        scim().body(user("whole\\ud83d\\ude00@example.com")).post("/scim/v2/Users").then().statusCode(201);
        scim().queryParam("filter", "userName eq \"a\\u0000b\"").get("/scim/v2/Users").then().statusCode(400)
                .contentType(SCIM).body("scimType", equalTo("invalidFilter"));
        scim().queryParam("filter", "userName eq \"a\u0000b\"").get("/scim/v2/Users").then().statusCode(400)
                .body("scimType", equalTo("invalidFilter"));
        assertEquals(0, KafkaTestClient.forQuarkusTest().count(Topics.USER_COMMANDS, UserCommand.class,
                command -> command.profile() != null && (command.profile().userName().startsWith("nul")
                        || command.profile().userName().startsWith("half")),
                Duration.ofSeconds(2)));
    }

    @Test
    void withoutAnOutcomeInTimeTheAnswerIs503WithRetryAfter() {
        scim().body(user("lost-1@example.com")).post("/scim/v2/Users").then()
                .statusCode(503).contentType(SCIM).header("Retry-After", "5").body("status", equalTo("503"));
    }

    @Test
    void aCommittedWriteWhoseOutcomeMessageIsLateIsStillAnswered201() {
        scim().body(user("silent-1@example.com")).post("/scim/v2/Users").then()
                .statusCode(201).body("userName", equalTo("silent-1@example.com"));
    }

    @Test
    void outcomesFasterThanTheSendAcknowledgementAreNeverLost() throws Exception {
        // The responder answers each command the moment it reads it; 40 concurrent creates must all get 201.
        ExecutorService clients = Executors.newFixedThreadPool(8);
        try {
            List<CompletableFuture<Integer>> statuses = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                String userName = "fast-" + i + "@example.com";
                statuses.add(CompletableFuture.supplyAsync(
                        () -> scim().body(user(userName)).post("/scim/v2/Users").statusCode(), clients));
            }
            for (CompletableFuture<Integer> status : statuses) {
                assertEquals(201, status.get());
            }
        } finally {
            clients.shutdownNow();
        }
    }

    @Test
    void endpointNamesAreMatchedWithoutCase() {
        String id = scim().body(user("case@example.com")).post("/scim/v2/users").then().statusCode(201)
                .extract().path("id");
        scim().get("/scim/v2/USERS/{id}", id).then().statusCode(200).body("id", equalTo(id));
    }

    @Test
    void theIdpRequestIdComesBackAndOneIsMadeUpWhenMissing() {
        scim().header("X-Request-Id", "okta-7f3a").get("/scim/v2/Users/{id}", "2819c223-7f76-453a-919d-413861904646")
                .then().statusCode(404).header("X-Request-Id", equalTo("okta-7f3a"));
        scim().header("client-request-id", "entra-42").get("/scim/v2/Users/x").then().header("X-Request-Id", equalTo("entra-42"));
        scim().get("/scim/v2/Users/x").then().header("X-Request-Id", matchesPattern("[0-9a-f-]{36}"));
    }

    @Test
    void unknownEndpointsAnswerScimErrors() {
        scim().get("/scim/v2/Nope").then().statusCode(404).contentType(SCIM).body("status", equalTo("404"));
    }

    @Test
    void theAdminApiNeedsTheAdminToken() {
        given().get("/admin/v1/organizations/test-org").then().statusCode(401);
        given().header("Authorization", "Bearer " + GatewayTestInfrastructure.TOKEN)
                .get("/admin/v1/organizations/test-org").then().statusCode(401);
        given().header("Authorization", "Bearer " + GatewayTestInfrastructure.ADMIN_TOKEN)
                .get("/admin/v1/organizations/test-org").then().statusCode(200).body("name", equalTo("test-org"));
        given().header("Authorization", "Bearer " + GatewayTestInfrastructure.ADMIN_TOKEN)
                .get("/admin/v1/organizations/other").then().statusCode(404);
    }

    @Test
    void readinessIncludesKafkaAndTheOutcomePartitions() {
        given().get("/q/health/ready").then().statusCode(200)
                .body("checks.name", hasItem("Command outcome partitions assigned"))
                .body("checks.name", hasItem(org.hamcrest.Matchers.containsString("Kafka connection")));
        given().get("/q/metrics").then().statusCode(200).body(org.hamcrest.Matchers.containsString("http_server"));
        scim().body(user("metered@example.com")).post("/scim/v2/Users").then().statusCode(201);
        given().get("/q/metrics").then().body(org.hamcrest.Matchers.containsString(
                "scim_command_outcome_seconds_count{resource=\"user\",result=\"applied\",type=\"create\"}"));
        given().get("/q/openapi").then().statusCode(200).body(org.hamcrest.Matchers.containsString("/scim/v2/Users"));
    }

    @Test
    void meAnswers501AndAFilteredDiscoveryListAnswers403AsRfc7644Says() {
        for (String method : new String[] {"GET", "POST", "PUT", "PATCH", "DELETE"}) {
            scim().body("{}").request(method, "/scim/v2/Me").then().statusCode(501).contentType(SCIM)
                    .body("status", equalTo("501")).body("detail", containsString("/Me is not supported"));
        }
        given().get("/scim/v2/Me").then().statusCode(401);

        for (String endpoint : new String[] {"Schemas", "ResourceTypes"}) {
            scim().queryParam("filter", "id eq \"urn:ietf:params:scim:schemas:core:2.0:User\"")
                    .get("/scim/v2/" + endpoint).then().statusCode(403).contentType(SCIM)
                    .body("detail", containsString("/" + endpoint + " is not filtered"));
            // Other query parameters are ignored, as the RFC says.
            scim().queryParam("count", "1").get("/scim/v2/" + endpoint).then().statusCode(200)
                    .body("totalResults", greaterThan(1));
        }
    }
}
