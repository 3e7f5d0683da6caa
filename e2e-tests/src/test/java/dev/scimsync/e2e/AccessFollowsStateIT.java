package dev.scimsync.e2e;

import static dev.scimsync.e2e.ScimClient.CORE_USER;
import static dev.scimsync.e2e.ScimClient.PATCH_OP;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scimsync.contracts.Topics;
import dev.scimsync.stack.LocalStack;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * De-provisioning through the whole system: the IdP deactivates a user over SCIM, the next sign-in is refused
 * with the reason, the member's and team's events go out to other services, the console says why, and
 * re-activation restores access.
 */
class AccessFollowsStateIT {

    private static final String CORE_GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";
    private static final Pattern DEACTIVATED_AT = Pattern.compile(
            "was deactivated by the identity provider \\(SCIM\\) on (\\S+); re-activate the user in the IdP to "
                    + "restore access");
    private static final Pattern FORM_VALUE = Pattern.compile("name=\"form\" value=\"([^\"]+)\"");
    private static final DateTimeFormatter CONSOLE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    private static RequestSpecification admin() {
        LocalStack.Endpoints endpoints = SharedStack.endpoints();
        return given().baseUri(endpoints.adminBaseUrl()).header("Authorization", "Bearer " + endpoints.adminToken())
                .contentType(ContentType.JSON);
    }

    private static Response signIn(String email) {
        return admin().body(Map.of("email", email))
                .post("/connections/{c}/sign-ins", LocalStack.BOOTSTRAP_CONNECTION);
    }

    private static ValidatableResponse team(String team) {
        return admin().get("/organizations/{o}/teams/{t}/members", LocalStack.BOOTSTRAP_ORGANIZATION, team).then()
                .statusCode(200);
    }

    private static void setActive(String id, boolean active) {
        ScimClient.scim().body("{\"schemas\":[\"" + PATCH_OP + "\"],\"Operations\":[{\"op\":\"replace\","
                + "\"path\":\"active\",\"value\":" + active + "}]}").patch("/Users/{id}", id).then().statusCode(200)
                .body("active", equalTo(active));
    }

    /** A console session, signed in through the form as a browser does. */
    private static String consoleSession() {
        String console = console();
        Response form = given().get(console + "/sign-in");
        Matcher value = FORM_VALUE.matcher(form.asString());
        assertTrue(value.find(), "the sign-in form carries its double-submit value");
        Response signedIn = given().redirects().follow(false).contentType(ContentType.URLENC)
                .cookie("scimsync_console_form", form.getCookie("scimsync_console_form"))
                .formParam("form", value.group(1)).formParam("token", SharedStack.endpoints().adminToken())
                .post(console + "/sign-in");
        assertEquals(303, signedIn.statusCode());
        return signedIn.getCookie("scimsync_console");
    }

    private static String console() {
        return SharedStack.endpoints().adminBaseUrl().replace("/admin/v1", "/console");
    }

    private static String consolePage(String session, String path) {
        return given().cookie("scimsync_console", session).get(console() + path).then().statusCode(200)
                .extract().asString();
    }

    /**
     * The CloudEvent types with this subject on membership.events and team.events, in topic order (a member's
     * events share a partition), each event once, once {@code membership} and {@code team} of them arrived.
     */
    private static Map<String, List<String>> eventTypes(String subject, int membership, int team) {
        Map<String, List<String>> types = Map.of(Topics.MEMBERSHIP_EVENTS, new ArrayList<>(),
                Topics.TEAM_EVENTS, new ArrayList<>());
        Set<String> seen = new HashSet<>();
        try (var consumer = new KafkaConsumer<String, byte[]>(Map.of("bootstrap.servers",
                SharedStack.kafkaBootstrapServers(), "group.id", "access-" + UUID.randomUUID(),
                "auto.offset.reset", "earliest", "enable.auto.commit", "false"),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(Topics.MEMBERSHIP_EVENTS, Topics.TEAM_EVENTS));
            Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
            while ((types.get(Topics.MEMBERSHIP_EVENTS).size() < membership
                    || types.get(Topics.TEAM_EVENTS).size() < team) && Instant.now().isBefore(deadline)) {
                consumer.poll(Duration.ofMillis(500)).forEach(record -> {
                    MembershipEventsConsumer.MemberEvent event = MembershipEventsConsumer.read(record);
                    if (subject.equals(event.subject()) && seen.add(event.id())) {
                        types.get(record.topic()).add(event.type());
                    }
                });
            }
        }
        return types;
    }

    @Test
    void aUserTheIdpDeactivatesIsRefusedAtSignInLeavesItsTeamsAndIsBackWhenReactivated() {
        String email = ScimClient.uniquePrefix("access") + "deact1@example.com";
        String team = "access-" + UUID.randomUUID().toString().substring(0, 6);
        String id = ScimClient.scim().body("{\"schemas\":[\"%s\"],\"userName\":\"%s\"}".formatted(CORE_USER, email))
                .post("/Users").then().statusCode(201).extract().path("id");
        ScimClient.scim().body("{\"schemas\":[\"" + CORE_GROUP + "\"],\"displayName\":\""
                        + LocalStack.BOOTSTRAP_ORGANIZATION + ":" + team + "\",\"members\":[{\"value\":\"" + id + "\"}]}")
                .post("/Groups").then().statusCode(201);
        team(team).body("members.id", contains(id));
        signIn(email).then().statusCode(200).body("access", equalTo("granted"));

        setActive(id, false);

        String detail = signIn(email).then().statusCode(403).body("status", equalTo(403)).extract().path("detail");
        assertTrue(detail.startsWith("access denied: " + email + " "), detail);
        Matcher deactivated = DEACTIVATED_AT.matcher(detail);
        assertTrue(deactivated.find(), detail);
        Instant deactivatedAt = Instant.parse(deactivated.group(1));
        admin().queryParam("q", email).get("/organizations/{o}/members", LocalStack.BOOTSTRAP_ORGANIZATION).then()
                .body("members.email", contains(email)).body("members[0].state", equalTo("deactivated"));
        Awaitility.await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> team(team).body("members.id", not(hasItem(id))));
        admin().get("/connections/{c}/provisioning-errors", LocalStack.BOOTSTRAP_CONNECTION).then().statusCode(200)
                .body("find { it.userName == '" + email + "' }.reason", equalTo("DEACTIVATED"));

        // The console says why: on the member's page, and the refusal on the connection's troubleshooting page.
        String session = consoleSession();
        String memberPage = consolePage(session, "/organizations/" + LocalStack.BOOTSTRAP_ORGANIZATION + "/members/"
                + email);
        assertTrue(memberPage.contains("Deactivated by the identity provider (SCIM) at "
                + CONSOLE_TIME.format(deactivatedAt) + "; sign-ins are refused until the IdP re-activates the user."),
                memberPage);
        String troubleshooting = consolePage(session, "/connections/" + LocalStack.BOOTSTRAP_CONNECTION
                + "/troubleshooting");
        assertTrue(troubleshooting.contains("<span class=\"badge\">DEACTIVATED</span> sign-in of " + email),
                troubleshooting);

        setActive(id, true);

        signIn(email).then().statusCode(200).body("access", equalTo("granted")).body("accountId", equalTo(id))
                .body("organizations", contains(LocalStack.BOOTSTRAP_ORGANIZATION));
        Awaitility.await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> team(team).body("members.id", hasItem(id)));
        assertFalse(consolePage(session, "/organizations/" + LocalStack.BOOTSTRAP_ORGANIZATION + "/members/" + email)
                .contains("Deactivated by the identity provider"));

        // Other services learn each step: the member's state on membership.events, its team on team.events.
        Map<String, List<String>> events = eventTypes(id, 3, 3);
        assertEquals(List.of("dev.scimsync.membership.member.created.v1",
                "dev.scimsync.membership.member.deactivated.v1", "dev.scimsync.membership.member.reactivated.v1"),
                events.get(Topics.MEMBERSHIP_EVENTS));
        assertEquals(List.of("dev.scimsync.team.member.added.v1", "dev.scimsync.team.member.removed.v1",
                "dev.scimsync.team.member.added.v1"), events.get(Topics.TEAM_EVENTS));
    }
}
