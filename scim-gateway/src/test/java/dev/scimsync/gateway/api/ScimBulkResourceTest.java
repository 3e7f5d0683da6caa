package dev.scimsync.gateway.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.scimsync.contracts.Topics;
import dev.scimsync.contracts.UserCommand;
import dev.scimsync.gateway.scim.ScimLimits;
import dev.scimsync.testsupport.KafkaTestClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * POST /Bulk (RFC 7644 section 3.7) through the real broker, with the fake services answering the commands as
 * membership-service and group-sync-service would: each operation answers what its single-resource endpoint would.
 */
@QuarkusTest
@QuarkusTestResource(value = GatewayTestInfrastructure.class, restrictToAnnotatedClass = true)
class ScimBulkResourceTest {

    private static final String SCIM = "application/scim+json";
    private static final String BULK_REQUEST = "urn:ietf:params:scim:api:messages:2.0:BulkRequest";
    private static final String USER = "urn:ietf:params:scim:schemas:core:2.0:User";
    private static final String GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";
    private static final String ERROR = "urn:ietf:params:scim:api:messages:2.0:Error";

    @Inject
    ScimLimits limits;

    private static RequestSpecification scim() {
        return given().header("Authorization", "Bearer " + GatewayTestInfrastructure.TOKEN).contentType(SCIM);
    }

    private static String bulk(String failOnErrors, String... operations) {
        return "{\"schemas\":[\"" + BULK_REQUEST + "\"]" + failOnErrors + ",\"Operations\":["
                + String.join(",", operations) + "]}";
    }

    private static String createUser(String bulkId, String userName) {
        return """
                {"method":"POST","path":"/Users","bulkId":"%s","data":{"schemas":["%s"],"userName":"%s"}}"""
                .formatted(bulkId, USER, userName);
    }

    @Test
    void aUserAndAGroupReferringToItByBulkIdAreCreatedInOneRequest() {
        Response response = scim().body(bulk("", createUser("qwerty", "bulk-alice@example.com"), """
                {"method":"POST","path":"/Groups","bulkId":"ytrewq","data":{"schemas":["%s"],"displayName":"Tour Guides",
                 "members":[{"type":"User","value":"bulkId:qwerty"}]}}""".formatted(GROUP)))
                .post("/scim/v2/Bulk");

        response.then().statusCode(200).contentType(SCIM)
                .body("schemas", contains("urn:ietf:params:scim:api:messages:2.0:BulkResponse"))
                .body("Operations", hasSize(2))
                .body("Operations[0].method", equalTo("POST"))
                .body("Operations[0].bulkId", equalTo("qwerty"))
                .body("Operations[0].status", equalTo("201"))
                .body("Operations[0].version", equalTo("W/\"1\""))
                .body("Operations[0].location", matchesPattern(".*/scim/v2/Users/[0-9a-f-]{36}"))
                .body("Operations[0].response", nullValue())
                .body("Operations[1].bulkId", equalTo("ytrewq"))
                .body("Operations[1].status", equalTo("201"))
                .body("Operations[1].location", matchesPattern(".*/scim/v2/Groups/[0-9a-f-]{36}"));
        String userLocation = response.path("Operations[0].location");
        String userId = userLocation.substring(userLocation.lastIndexOf('/') + 1);
        String groupLocation = response.path("Operations[1].location");
        scim().get(userLocation).then().statusCode(200).body("userName", equalTo("bulk-alice@example.com"));
        scim().get(groupLocation).then().statusCode(200).header("ETag", equalTo(response.path("Operations[1].version")))
                .body("displayName", equalTo("Tour Guides"))
                .body("members.value", contains(userId));
    }

    @Test
    void anOperationWithBadDataFailsAloneWithItsOwn400AndTheOthersSucceed() {
        scim().body(bulk("", createUser("a", "bulk-bob@example.com"),
                        "{\"method\":\"POST\",\"path\":\"/Users\",\"bulkId\":\"b\",\"data\":{\"displayName\":\"no userName\"}}",
                        "{\"method\":\"POST\",\"path\":\"/Users\",\"bulkId\":\"c\",\"data\":[1,2]}",
                        "{\"method\":\"PUT\",\"path\":\"/Users/bulkId:a\",\"version\":\"W/\\\"1\\\"\","
                                + "\"data\":{\"userName\":\"bulk-bob@example.com\",\"title\":\"Guide\"}}",
                        "{\"method\":\"POST\",\"path\":\"/Groups\",\"bulkId\":\"g\","
                                + "\"data\":{\"displayName\":\"x\",\"members\":[{\"value\":\"bulkId:b\"}]}}",
                        "{\"method\":\"DELETE\",\"path\":\"/Users/2819c223-7f76-453a-919d-413861904646\"}"))
                .post("/scim/v2/Bulk").then().statusCode(200)
                .body("Operations.status", contains("201", "400", "400", "200", "409", "404"))
                .body("Operations[1].bulkId", equalTo("b"))
                .body("Operations[1].location", nullValue())
                .body("Operations[1].response.schemas", contains(ERROR))
                .body("Operations[1].response.status", equalTo("400"))
                .body("Operations[1].response.scimType", equalTo("invalidValue"))
                .body("Operations[1].response.detail", equalTo("'userName' is required"))
                .body("Operations[2].response.scimType", equalTo("invalidSyntax"))
                .body("Operations[3].version", equalTo("W/\"2\""))
                .body("Operations[4].response.detail", startsWith("'bulkId:b' cannot be resolved"))
                .body("Operations[5].location", matchesPattern(
                        ".*/scim/v2/Users/2819c223-7f76-453a-919d-413861904646"))
                .body("Operations[5].response.detail", equalTo("User 2819c223-7f76-453a-919d-413861904646 not found"));
    }

    @Test
    void failOnErrorsOfOneStopsAfterTheFirstFailure() {
        scim().body("{\"schemas\":[\"" + USER + "\"],\"userName\":\"bulk-taken@example.com\"}").post("/scim/v2/Users")
                .then().statusCode(201);

        scim().body(bulk(",\"failOnErrors\":1", createUser("a", "bulk-carol@example.com"),
                        createUser("b", "BULK-TAKEN@example.com"), createUser("c", "bulk-dave@example.com")))
                .post("/scim/v2/Bulk").then().statusCode(200)
                .body("Operations.status", contains("201", "409"))
                .body("Operations[1].response.scimType", equalTo("uniqueness"));

        // The operation after the failure was not performed: its user can still be created.
        scim().body("{\"schemas\":[\"" + USER + "\"],\"userName\":\"bulk-dave@example.com\"}").post("/scim/v2/Users")
                .then().statusCode(201);
    }

    @Test
    void groupPatchAndDeleteAnswerAsTheirEndpoints() {
        String patchMember = """
                {"method":"PATCH","path":"/Groups/bulkId:g","version":"W/\\"1\\"","data":{
                 "schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                 "Operations":[{"op":"add","path":"members","value":[{"value":"bulkId:u"}]}]}}""";
        scim().body(bulk("", createUser("u", "bulk-erin@example.com"),
                        "{\"method\":\"POST\",\"path\":\"/Groups\",\"bulkId\":\"g\",\"data\":{\"displayName\":\"Erin's\"}}",
                        patchMember, patchMember.replace("W/\\\"1\\\"", "W/\\\"7\\\""),
                        "{\"method\":\"DELETE\",\"path\":\"/Groups/bulkId:g\"}"))
                .post("/scim/v2/bulk").then().statusCode(200)
                .body("Operations.status", contains("201", "201", "204", "412", "204"))
                .body("Operations[2].version", equalTo("W/\"2\""))
                .body("Operations[3].response.status", equalTo("412"))
                .body("Operations[4].version", nullValue());
    }

    @Test
    void moreOperationsThanMaxOperationsIs413AndNothingIsPerformed() {
        String marker = UUID.randomUUID().toString();
        String[] operations = IntStream.rangeClosed(0, limits.bulkOperations())
                .mapToObj(i -> createUser("u" + i, marker + "-" + i + "@example.com")).toArray(String[]::new);

        scim().body(bulk("", operations)).post("/scim/v2/Bulk").then().statusCode(413).contentType(SCIM)
                .body("schemas", contains(ERROR))
                .body("status", equalTo("413"))
                .body("scimType", nullValue())
                .body("detail", equalTo("the request has " + (limits.bulkOperations() + 1) + " operations; at most "
                        + limits.bulkOperations() + " are accepted (bulk.maxOperations)"));
        assertEquals(0, KafkaTestClient.forQuarkusTest().count(Topics.USER_COMMANDS, UserCommand.class,
                command -> command.profile() != null && command.profile().userName().startsWith(marker),
                Duration.ofSeconds(2)));
    }

    @Test
    void aMalformedEnvelopeIs400() {
        scim().body("{\"Operations\": ").post("/scim/v2/Bulk").then().statusCode(400).contentType(SCIM)
                .body("scimType", equalTo("invalidSyntax"));
        scim().body("{\"schemas\":[\"" + BULK_REQUEST + "\"]}").post("/scim/v2/Bulk").then().statusCode(400)
                .body("scimType", equalTo("invalidValue"))
                .body("detail", equalTo("'Operations' must be an array of operations"));
        scim().body(bulk(",\"failOnErrors\":0")).post("/scim/v2/Bulk").then().statusCode(400)
                .body("scimType", equalTo("invalidValue"));
    }

    @Test
    void bulkIsAuthenticatedLikeEverySCIMRequest() {
        given().contentType(SCIM).body(bulk("", createUser("a", "bulk-nobody@example.com"))).post("/scim/v2/Bulk")
                .then().statusCode(401).contentType(SCIM).header("WWW-Authenticate", startsWith("Bearer"));
        given().header("Authorization", "Bearer " + GatewayTestInfrastructure.DISABLED_TOKEN).contentType(SCIM)
                .body(bulk("", createUser("a", "bulk-nobody@example.com"))).post("/scim/v2/Bulk")
                .then().statusCode(403);
    }

    @Test
    void everyCommandCarriesTheBulkRequestsRequestId() {
        String requestId = "bulk-" + UUID.randomUUID();
        scim().header("X-Request-Id", requestId)
                .body(bulk("", createUser("a", "bulk-frank@example.com"), createUser("b", "bulk-grace@example.com")))
                .post("/scim/v2/Bulk").then().statusCode(200).header("X-Request-Id", requestId)
                .body("Operations.status", contains("201", "201"));

        assertEquals(2, KafkaTestClient.forQuarkusTest().count(Topics.USER_COMMANDS, UserCommand.class,
                command -> command.origin() != null && requestId.equals(command.origin().requestId()),
                Duration.ofSeconds(2)));
    }

    @Test
    void serviceProviderConfigAdvertisesTheLimitsBulkEnforces() {
        scim().get("/scim/v2/ServiceProviderConfig").then().statusCode(200)
                .body("bulk.supported", equalTo(true))
                .body("bulk.maxOperations", equalTo(limits.bulkOperations()))
                .body("bulk.maxPayloadSize", equalTo(limits.bodyBytes()));
    }
}
