package dev.scimsync.membership.api.admin;

import static dev.scimsync.membership.api.admin.MembershipRulesTest.admin;
import static dev.scimsync.membership.api.admin.MembershipRulesTest.tenant;
import static dev.scimsync.membership.api.admin.MembershipRulesTest.unique;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scimsync.contracts.ContractJson;
import dev.scimsync.contracts.CommandOrigin;
import dev.scimsync.contracts.CommandOutcome;
import dev.scimsync.contracts.TroubleshootingReport;
import dev.scimsync.contracts.TroubleshootingReport.RefusedWhileScimOff;
import dev.scimsync.contracts.UserCommand;
import dev.scimsync.contracts.UserProfile;
import dev.scimsync.testsupport.KafkaTestClient;
import dev.scimsync.contracts.TroubleshootingReport.TokenFailures;
import dev.scimsync.contracts.TroubleshootingReport.UnattributedFailures;
import dev.scimsync.contracts.TroubleshootingReport.UnknownAttribute;
import dev.scimsync.membership.persistence.StoredDataExpiry;
import dev.scimsync.testsupport.InfrastructureTestResource;
import dev.scimsync.testsupport.TestServiceTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The gateways' troubleshooting reports, added up in the real database and shown through the admin API: reports of
 * several gateway instances sum into one count per connection and name (or token, or reason), with the first and
 * last sighting of all of them.
 */
@QuarkusTest
@QuarkusTestResource(InfrastructureTestResource.class)
class TroubleshootingReportsTest {

    private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");
    private static final String ENTERPRISE_BADGE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:badge";

    private static void report(TroubleshootingReport report) {
        given().contentType(ContentType.JSON).body(ContractJson.write(report)).post("/internal/v1/troubleshooting/reports")
                .then().statusCode(204);
    }

    private static String issueToken(String connection) {
        return admin().post("/connections/{c}/scim-tokens", connection).then().statusCode(201).extract().path("id");
    }

    @Test
    void reportsOfSeveralGatewaysAddUpPerConnectionNameAndToken() {
        String org = unique("troubled");
        String connectionId = tenant(org, null, false);
        String connection = org + "-sso";
        String live = issueToken(connection);
        String revoked = issueToken(connection);
        admin().delete("/connections/{c}/scim-tokens/{id}", connection, revoked).then().statusCode(204);

        report(new TroubleshootingReport(List.of(
                new UnknownAttribute(connectionId, "User", "nickname2", "attribute", 3, T0, T0.plusSeconds(4)),
                new UnknownAttribute(connectionId, "User", "urn:acme:scim:1.0:User", "extension", 3, T0, T0),
                new UnknownAttribute(UUID.randomUUID().toString(), "User", "of-no-connection", "attribute", 1, T0, T0)),
                List.of(new TokenFailures(connectionId, live, 2, T0, T0.plusSeconds(1)),
                        new TokenFailures(connectionId, "ffffffffffff", 7, T0, T0)),
                List.of(), List.of()));
        // A second gateway instance, seeing the same IdP meanwhile.
        report(new TroubleshootingReport(List.of(
                new UnknownAttribute(connectionId, "User", "nickname2", "attribute", 2, T0.minusSeconds(1),
                        T0.plusSeconds(2)),
                new UnknownAttribute(connectionId, "Group", ENTERPRISE_BADGE, "attribute", 1, T0, T0)),
                List.of(new TokenFailures(connectionId, live, 1, T0.plusSeconds(9), T0.plusSeconds(9)),
                        new TokenFailures(connectionId, revoked, 5, T0, T0.plusSeconds(3))),
                List.of(), List.of()));

        JsonPath troubleshooting = admin().get("/connections/{c}/troubleshooting", connection).then().statusCode(200)
                .body("unknownAttributes", hasSize(3))
                .body("failedAuthentications", hasSize(2))
                .extract().jsonPath();
        assertEquals(Map.of("resourceType", "User", "name", "nickname2", "kind", "attribute", "count", 5,
                        "firstSeen", T0.minusSeconds(1).toString(), "lastSeen", T0.plusSeconds(4).toString()),
                withoutFix(troubleshooting.getMap("unknownAttributes.find { it.name == 'nickname2' }")));
        assertEquals(List.of("Group"), troubleshooting.getList(
                "unknownAttributes.findAll { it.name == '" + ENTERPRISE_BADGE + "' }.resourceType"));
        String extensionFix = troubleshooting.getString("unknownAttributes.find { it.kind == 'extension' }.suggestedFix");
        assertTrue(extensionFix.contains("urn:acme:scim:1.0:User") && extensionFix.contains("dockerRole"),
                extensionFix);

        Map<String, Object> liveFailures = troubleshooting.getMap("failedAuthentications.find { it.tokenId == '"
                + live + "' }");
        assertEquals(List.of("live", 3, T0.toString(), T0.plusSeconds(9).toString()), List.of(
                liveFailures.get("tokenState"), liveFailures.get("count"), liveFailures.get("firstSeen"),
                liveFailures.get("lastSeen")));
        assertTrue(liveFailures.get("suggestedFix").toString().contains("wrong secret"));
        Map<String, Object> revokedFailures = troubleshooting.getMap("failedAuthentications.find { it.tokenId == '"
                + revoked + "' }");
        assertEquals(List.of("revoked", 5), List.of(revokedFailures.get("tokenState"), revokedFailures.get("count")));
        assertTrue(revokedFailures.get("suggestedFix").toString().contains("still sends token " + revoked));
    }

    private static Map<String, Object> withoutFix(Map<String, Object> entry) {
        Map<String, Object> copy = new java.util.HashMap<>(entry);
        copy.remove("suggestedFix");
        return copy;
    }

    @Test
    void aConnectionKeepsAtMostItsCapOfNamesWhileTheNamesItHasKeepCounting() {
        String org = unique("flooded");
        String connectionId = tenant(org, null, false);
        List<UnknownAttribute> flood = new ArrayList<>(IntStream.range(0, 150).mapToObj(i -> new UnknownAttribute(
                connectionId, "User", "a" + i, "attribute", 1, T0, T0)).toList());
        report(new TroubleshootingReport(flood, List.of(), List.of(), List.of()));
        List<UnknownAttribute> more = new ArrayList<>(IntStream.range(0, 150).mapToObj(i -> new UnknownAttribute(
                connectionId, "User", "b" + i, "attribute", 1, T0, T0)).toList());
        more.add(new UnknownAttribute(connectionId, "User", "a0", "attribute", 1, T0, T0));
        report(new TroubleshootingReport(more, List.of(), List.of(), List.of()));

        JsonPath troubleshooting = admin().get("/connections/{c}/troubleshooting", org + "-sso").then()
                .statusCode(200).body("unknownAttributes", hasSize(200)).extract().jsonPath();
        assertEquals(2, troubleshooting.getInt("unknownAttributes.find { it.name == 'a0' }.count"));
    }

    /**
     * An IdP's requests while the connection's SCIM was off: each user named is listed as it is now, so the admin
     * sees who the IdP may have meant to de-provision and still has access; ids past the bound are counted by
     * method without the id, so the count stays whole.
     */
    @Test
    void requestsRefusedWhileScimWasOffNameTheUsersAsTheyAreNow() {
        String org = unique("off");
        String connectionId = tenant(org, null, false);
        String stillActive = created(connectionId, "leaver@x.test").user().id();
        CommandOutcome deactivated = created(connectionId, "gone@x.test");
        KafkaTestClient.forQuarkusTest().apply(UserCommand.replace(connectionId, deactivated.user().id(),
                new UserProfile("gone@x.test", null, false, ContractJson.mapper().createObjectNode(), null), null,
                new CommandOrigin("t", "req-off-2", null, null)));
        String unknown = UUID.randomUUID().toString();
        report(new TroubleshootingReport(List.of(), List.of(), List.of(), List.of(
                new RefusedWhileScimOff(connectionId, "PATCH", "User", stillActive, 2, T0, T0.plusSeconds(5)),
                new RefusedWhileScimOff(connectionId, "DELETE", "User", deactivated.user().id(), 1, T0, T0),
                new RefusedWhileScimOff(connectionId, "PUT", "User", unknown, 1, T0, T0),
                new RefusedWhileScimOff(connectionId, "PATCH", "Group", "g-1", 1, T0, T0),
                new RefusedWhileScimOff(connectionId, "GET", null, null, 7, T0, T0))));
        report(new TroubleshootingReport(List.of(), List.of(), List.of(), List.of(
                new RefusedWhileScimOff(connectionId, "PATCH", "User", stillActive, 1, T0.minusSeconds(5), T0))));

        JsonPath refused = admin().get("/connections/{c}/troubleshooting", org + "-sso").then().statusCode(200)
                .body("refusedWhileScimOff", hasSize(5)).extract().jsonPath();
        String leaver = "refusedWhileScimOff.find { it.id == '" + stillActive + "' }";
        assertEquals("leaver@x.test", refused.getString(leaver + ".userName"));
        assertEquals(true, refused.getBoolean(leaver + ".userActive"));
        assertEquals(3, refused.getInt(leaver + ".count"));
        assertEquals(T0.minusSeconds(5).toString(), refused.getString(leaver + ".firstSeen"));
        assertEquals(T0.plusSeconds(5).toString(), refused.getString(leaver + ".lastSeen"));
        assertTrue(refused.getString(leaver + ".suggestedFix").contains("leaver@x.test is still active here"));
        String gone = "refusedWhileScimOff.find { it.id == '" + deactivated.user().id() + "' }";
        assertEquals(false, refused.getBoolean(gone + ".userActive"));
        assertTrue(refused.getString(gone + ".suggestedFix").contains("has been deactivated since"));
        assertEquals(null, refused.getString("refusedWhileScimOff.find { it.id == '" + unknown + "' }.userName"));
        assertTrue(refused.getString("refusedWhileScimOff.find { it.id == 'g-1' }.suggestedFix")
                .contains("push the group again"));
        assertEquals(7, refused.getInt("refusedWhileScimOff.find { it.method == 'GET' }.count"));
        assertEquals(null, refused.getString("refusedWhileScimOff.find { it.method == 'GET' }.resourceType"));
    }

    @Test
    void aConnectionKeepsAtMostItsBoundOfRefusedIdsAndCountsTheRestWithoutThem() {
        String org = unique("offflood");
        String connectionId = tenant(org, null, false);
        List<RefusedWhileScimOff> flood = IntStream.range(0, 1_005).mapToObj(i -> new RefusedWhileScimOff(
                connectionId, "DELETE", "User", "u" + i, 1, T0.plusSeconds(i), T0.plusSeconds(i))).toList();
        report(new TroubleshootingReport(List.of(), List.of(), List.of(), flood));
        report(new TroubleshootingReport(List.of(), List.of(), List.of(), List.of(
                new RefusedWhileScimOff(connectionId, "DELETE", "User", "u-late", 1, T0, T0),
                new RefusedWhileScimOff(connectionId, "DELETE", "User", "u1004", 1, T0, T0))));

        JsonPath refused = admin().get("/connections/{c}/troubleshooting", org + "-sso").then().statusCode(200)
                .body("refusedWhileScimOff", hasSize(1_001)).extract().jsonPath();
        assertEquals(6, refused.getInt("refusedWhileScimOff.find { it.id == null }.count"),
                "the five oldest of the flood and the late one, without their ids");
        assertEquals(2, refused.getInt("refusedWhileScimOff.find { it.id == 'u1004' }.count"), "a kept id counts on");
        assertEquals(1_007, refused.getList("refusedWhileScimOff.count", Integer.class).stream()
                .mapToInt(Integer::intValue).sum());
    }

    private static CommandOutcome created(String connectionId, String email) {
        return KafkaTestClient.forQuarkusTest().apply(UserCommand.create(connectionId, new UserProfile(email, null,
                true, ContractJson.mapper().createObjectNode(), null), new CommandOrigin("t", "req-" + email, null,
                null)));
    }

    @Test
    void failuresThatNameNoConnectionAreCountedForTheOperator() {
        int before = admin().get("/failed-authentications").then().statusCode(200).extract().jsonPath()
                .getList("findAll { it.reason == 'unknown-token' }.count", Integer.class).stream()
                .mapToInt(Integer::intValue).sum();
        report(new TroubleshootingReport(List.of(), List.of(), List.of(
                new UnattributedFailures(TroubleshootingReport.UNKNOWN_TOKEN, 4, T0, T0.plusSeconds(1))), List.of()));
        report(new TroubleshootingReport(List.of(), List.of(), List.of(
                new UnattributedFailures(TroubleshootingReport.UNKNOWN_TOKEN, 1, T0, T0.plusSeconds(30))), List.of()));

        admin().get("/failed-authentications").then().statusCode(200)
                .body("find { it.reason == 'unknown-token' }.count", equalTo(before + 5))
                .body("find { it.reason == 'unknown-token' }.lastSeen", equalTo(T0.plusSeconds(30).toString()))
                .body("find { it.reason == 'unknown-token' }.suggestedFix", containsString("issue a new SCIM token"));
    }

    @Inject
    StoredDataExpiry expiry;

    /** A fixed mapping leaves the page: what was not seen again for the provisioning errors' retention goes. */
    @Test
    void whatWasNotSeenAgainForTheRetentionExpires() {
        String org = unique("fixed");
        String connectionId = tenant(org, null, false);
        String token = issueToken(org + "-sso");
        Instant longAgo = Instant.now().minus(Duration.ofDays(60));
        report(new TroubleshootingReport(List.of(
                        new UnknownAttribute(connectionId, "User", "fixedLongAgo", "attribute", 1, longAgo, longAgo),
                        new UnknownAttribute(connectionId, "User", "stillSent", "attribute", 1, longAgo, T0)),
                List.of(new TokenFailures(connectionId, token, 1, longAgo, longAgo)), List.of(),
                List.of(new RefusedWhileScimOff(connectionId, "DELETE", "User", "u-long-ago", 1, longAgo, longAgo))));

        expiry.expire().await().atMost(Duration.ofSeconds(30));

        admin().get("/connections/{c}/troubleshooting", org + "-sso").then().statusCode(200)
                .body("unknownAttributes.name", contains("stillSent"))
                .body("failedAuthentications", hasSize(0))
                .body("refusedWhileScimOff", hasSize(0));
    }

    @Test
    void aReportThatBreaksTheContractIsRefusedWhole() {
        given().contentType(ContentType.JSON).body(ContractJson.write(new TroubleshootingReport(List.of(
                        new UnknownAttribute("not-a-uuid", "User", "x", "attribute", 1, T0, T0)), List.of(), List.of(),
                        List.of())))
                .post("/internal/v1/troubleshooting/reports").then().statusCode(400);
        given().contentType(ContentType.JSON).body(ContractJson.write(new TroubleshootingReport(List.of(), List.of(),
                        List.of(new UnattributedFailures("bored", 1, T0, T0)), List.of())))
                .post("/internal/v1/troubleshooting/reports").then().statusCode(400)
                .body("detail", containsString("unknown-token"));
        String someConnection = UUID.randomUUID().toString();
        for (RefusedWhileScimOff broken : List.of(
                new RefusedWhileScimOff(someConnection, "BREW", "User", "u", 1, T0, T0),
                new RefusedWhileScimOff(someConnection, "GET", "Team", null, 1, T0, T0),
                new RefusedWhileScimOff(someConnection, "GET", null, "u", 1, T0, T0),
                new RefusedWhileScimOff(someConnection, "GET", "User", "u".repeat(65), 1, T0, T0),
                new RefusedWhileScimOff(someConnection, "GET", "User", "u\u0000", 1, T0, T0),
                new RefusedWhileScimOff(someConnection, "GET", "User", "u", 0, T0, T0))) {
            given().contentType(ContentType.JSON).body(ContractJson.write(new TroubleshootingReport(List.of(),
                            List.of(), List.of(), List.of(broken))))
                    .post("/internal/v1/troubleshooting/reports").then().statusCode(400)
                    .body("detail", containsString("refused while SCIM was off"));
        }
    }

    @Test
    void onlyTheGatewayReports() {
        given().noFilters().header("Authorization", TestServiceTokens.authorization("group-sync-service",
                        "membership-service")).contentType(ContentType.JSON).body("{}")
                .post("/internal/v1/troubleshooting/reports").then().statusCode(403);
    }
}
