package dev.scimsync.gateway.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.scimsync.contracts.GroupCommand;
import dev.scimsync.contracts.Topics;
import dev.scimsync.contracts.UserCommand;
import dev.scimsync.gateway.scim.ScimLimits;
import dev.scimsync.testsupport.KafkaTestClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * Requests over a limit are answered 400 or 413 by the gateway and never reach Kafka (the issue: a
 * 2,000,000-character userName answered 503, and IdPs retry a 503 for hours); groups as large as IdPs really
 * send still go through the real broker.
 */
@QuarkusTest
@QuarkusTestResource(value = GatewayTestInfrastructure.class, restrictToAnnotatedClass = true)
class OversizedRequestsTest {

    private static final String SCIM = "application/scim+json";
    private static final String PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

    @Inject
    ScimLimits limits;

    private static RequestSpecification scim() {
        return given().header("Authorization", "Bearer " + GatewayTestInfrastructure.TOKEN).contentType(SCIM);
    }

    @Test
    void aTwoMillionCharacterUserNameIs400NamingTheLimitAndNothingIsSent() {
        String marker = UUID.randomUUID().toString();
        scim().body("{\"userName\":\"" + "x".repeat(2_000_000) + "\",\"externalId\":\"" + marker + "\"}")
                .post("/scim/v2/Users").then().statusCode(400).contentType(SCIM)
                .body("status", equalTo("400"))
                .body("scimType", equalTo("invalidValue"))
                .body("detail", equalTo("'userName' is 2000000 characters long; at most " + limits.userNameLength()
                        + " are accepted"));

        assertEquals(0, commandsOf(marker));
    }

    /**
     * 100 addresses of six 1,000-character lines: every value within its limit, 600 KB together - far over what a
     * user command may be, though the body is well under the 4 MiB body limit.
     */
    @Test
    void aUserWhoseValuesAreEachWithinTheirLimitsButTooManyTogetherIs413AndNothingIsSent() {
        String marker = UUID.randomUUID().toString();
        String line = "l".repeat(1000);
        String address = "{\"formatted\":\"%1$s\",\"streetAddress\":\"%1$s\",\"locality\":\"%1$s\",\"region\":\"%1$s\","
                + "\"postalCode\":\"%1$s\",\"country\":\"%1$s\"}";
        String addresses = IntStream.range(0, limits.multiValuedEntries())
                .mapToObj(i -> address.formatted(line + i)).collect(Collectors.joining(","));

        scim().body("{\"userName\":\"many-addresses@example.com\",\"externalId\":\"" + marker + "\",\"addresses\":["
                        + addresses + "]}")
                .post("/scim/v2/Users").then().statusCode(413).contentType(SCIM)
                .body("status", equalTo("413"))
                .body("detail", org.hamcrest.Matchers.matchesPattern("the user's attributes make a command of 6[0-9]{5} "
                        + "bytes; at most " + limits.userCommandBytes() + " are accepted"));
        // A user at the edge of what IdPs send is accepted and sent: the count below does see the topic.
        scim().body("{\"userName\":\"few-addresses@example.com\",\"externalId\":\"" + marker + "-sent\",\"addresses\":["
                        + address.formatted(line) + "]}")
                .post("/scim/v2/Users").then().statusCode(201);

        assertEquals(0, commandsOf(marker));
        assertEquals(1, commandsOf(marker + "-sent"));
    }

    @Test
    void groupsOfTwentyThousandAndOfTheMembersLimitGoThroughTheBrokerAndOneMoreIs400() {
        List<String> users = bulkUsers(limits.membersPerRequest());

        scim().body(group("twenty-thousand", users.subList(0, 20_000))).post("/scim/v2/Groups").then()
                .statusCode(201).body("displayName", equalTo("twenty-thousand"));
        String id = scim().body(group("at-the-limit", List.of())).post("/scim/v2/Groups").then().statusCode(201)
                .extract().path("id");
        scim().body(addMembers(users)).patch("/scim/v2/Groups/{id}", id).then().statusCode(204);
        scim().queryParam("excludedAttributes", "members").get("/scim/v2/Groups/{id}", id).then().statusCode(200)
                .header("ETag", equalTo("W/\"2\""));

        List<String> oneTooMany = new java.util.ArrayList<>(users);
        oneTooMany.add(UUID.randomUUID().toString());
        scim().body(addMembers(oneTooMany)).patch("/scim/v2/Groups/{id}", id).then().statusCode(400)
                .body("scimType", equalTo("invalidValue"))
                .body("detail", equalTo("the request names " + oneTooMany.size() + " members; at most "
                        + limits.membersPerRequest() + " are accepted per request (add more with further PATCH requests)"));
        String marker = UUID.randomUUID().toString();
        scim().body(group(marker, oneTooMany)).post("/scim/v2/Groups").then().statusCode(400)
                .body("scimType", equalTo("invalidValue"));
        assertEquals(0, KafkaTestClient.forQuarkusTest().count(Topics.GROUP_COMMANDS, GroupCommand.class,
                command -> command.edits().stream().anyMatch(edit -> marker.equals(edit.value())), Duration.ofSeconds(2)));
    }

    private static long commandsOf(String externalId) {
        return KafkaTestClient.forQuarkusTest().count(Topics.USER_COMMANDS, UserCommand.class,
                command -> command.profile() != null && externalId.equals(command.profile().externalId()),
                Duration.ofSeconds(2));
    }

    /** Users the fake membership-service knows, made at once. */
    private static List<String> bulkUsers(int count) {
        String url = ConfigProvider.getConfig().getValue("quarkus.rest-client.membership.url", String.class);
        return given().post(url + "/fake/users?count=" + count).then().statusCode(200).extract().jsonPath()
                .getList("", String.class);
    }

    private static String group(String displayName, List<String> members) {
        return "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:Group\"],\"displayName\":\"" + displayName
                + "\",\"members\":[" + members.stream().map(id -> "{\"value\":\"" + id + "\"}")
                .collect(Collectors.joining(",")) + "]}";
    }

    private static String addMembers(List<String> members) {
        return "{\"schemas\":[\"" + PATCH_OP + "\"],\"Operations\":[{\"op\":\"add\",\"path\":\"members\",\"value\":["
                + members.stream().map(id -> "{\"value\":\"" + id + "\"}").collect(Collectors.joining(",")) + "]}]}";
    }
}
