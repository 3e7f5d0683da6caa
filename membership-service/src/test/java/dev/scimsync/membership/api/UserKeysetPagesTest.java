package dev.scimsync.membership.api;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scimsync.contracts.CommandOrigin;
import dev.scimsync.contracts.CommandOutcome;
import dev.scimsync.contracts.ContractJson;
import dev.scimsync.contracts.Topics;
import dev.scimsync.contracts.UserCommand;
import dev.scimsync.contracts.UserProfile;
import dev.scimsync.contracts.UserSnapshot;
import dev.scimsync.contracts.query.Keyset;
import dev.scimsync.contracts.query.ResourceQuery;
import dev.scimsync.contracts.query.UserPage;
import dev.scimsync.testsupport.InfrastructureTestResource;
import dev.scimsync.testsupport.KafkaTestClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/**
 * Keyset pages (the gateway's RFC 9865 cursors) on the real PostgreSQL: a walk sees every user that existed when
 * it began exactly once and in order, whatever is created meanwhile, and a key never reaches past its connection.
 */
@QuarkusTest
@QuarkusTestResource(InfrastructureTestResource.class)
class UserKeysetPagesTest {

    /** PostgreSQL orders uuids by their unsigned bytes, as their hex text sorts (Java's UUID compares signed). */
    private static final Comparator<UserSnapshot> DEFAULT_ORDER = Comparator.comparing(UserSnapshot::created)
            .thenComparing(UserSnapshot::id);

    @Test
    void aWalkOf250UsersByHundredsSeesEachOnceInOrderWhileUsersAreCreatedBetweenPages() {
        String connection = connection();
        List<String> existing = create(connection, "walk", 250);
        Set<String> seen = new HashSet<>();
        List<UserSnapshot> walked = new ArrayList<>();
        List<Integer> pageSizes = new ArrayList<>();
        Keyset after = null;
        boolean more = true;
        int page = 0;
        while (more) {
            UserPage current = query(connection, new ResourceQuery(null, null, false, 1, 100, after));
            pageSizes.add(current.users().size());
            for (UserSnapshot user : current.users()) {
                assertTrue(seen.add(user.id()), "seen twice: " + user.profile().userName());
                walked.add(user);
            }
            more = current.more();
            if (more) {
                UserSnapshot last = current.users().get(current.users().size() - 1);
                after = new Keyset(last.created(), UUID.fromString(last.id()));
                // An IdP's sync goes on while another client walks the connection.
                create(connection, "new" + page++, 5);
            }
        }

        assertTrue(seen.containsAll(existing), "a user that existed when the walk began was skipped");
        assertEquals(walked.stream().sorted(DEFAULT_ORDER).map(UserSnapshot::id).toList(),
                walked.stream().map(UserSnapshot::id).toList());
        // 250, and 5 more after each of the first two pages: created later, they come after the first 250.
        assertEquals(List.of(100, 100, 60), pageSizes);
    }

    @Test
    void aKeyFromAnotherConnectionPositionsOnlyWithinTheAskingConnection() {
        String mine = connection();
        String theirs = connection();
        List<String> myUsers = create(mine, "mine", 3);
        create(theirs, "theirs", 2);
        UserSnapshot theirFirst = query(theirs, new ResourceQuery(null, null, false, 1, 1, null)).users().get(0);

        UserPage page = query(mine, new ResourceQuery(null, null, false, 1, 100,
                new Keyset(theirFirst.created(), UUID.fromString(theirFirst.id()))));

        // Their user was created after mine: nothing of mine follows it, and nothing of theirs is shown.
        assertEquals(3, page.total());
        assertTrue(page.users().isEmpty());
        assertFalse(page.more());
        assertEquals(Set.copyOf(myUsers), query(mine, new ResourceQuery(null, null, false, 1, 100, null)).users()
                .stream().map(UserSnapshot::id).collect(java.util.stream.Collectors.toSet()));
    }

    @Test
    void aPageOfNoneStillTellsWhetherUsersFollowTheKey() {
        String connection = connection();
        create(connection, "count", 2);
        List<UserSnapshot> users = query(connection, new ResourceQuery(null, null, false, 1, 2, null)).users();
        UserSnapshot first = users.get(0);
        UserSnapshot last = users.get(1);

        UserPage afterFirst = query(connection, new ResourceQuery(null, null, false, 1, 0,
                new Keyset(first.created(), UUID.fromString(first.id()))));
        UserPage afterLast = query(connection, new ResourceQuery(null, null, false, 1, 0,
                new Keyset(last.created(), UUID.fromString(last.id()))));

        assertEquals(2, afterFirst.total());
        assertTrue(afterFirst.users().isEmpty());
        assertTrue(afterFirst.more());
        assertFalse(afterLast.more());
    }

    private static UserPage query(String connection, ResourceQuery query) {
        byte[] body = given().contentType(ContentType.JSON).body(new String(ContractJson.write(query)))
                .post("/internal/v1/connections/{c}/users/query", connection).then().statusCode(200)
                .extract().asByteArray();
        return ContractJson.read(body, UserPage.class);
    }

    /** A fresh organization without a seat limit and a SCIM connection placing users there. */
    private static String connection() {
        String name = "keyset" + UUID.randomUUID().toString().substring(0, 8);
        admin().body(Map.of("name", name)).post("/organizations").then().statusCode(201);
        return admin().body(Map.of("name", name + "-sso", "organizations", List.of(name),
                        "defaultOrganization", name, "defaultRole", "member", "jitEnabled", false, "scimEnabled", true))
                .post("/connections").then().statusCode(201).extract().path("id");
    }

    private static io.restassured.specification.RequestSpecification admin() {
        return given().contentType(ContentType.JSON).basePath("/internal/v1/admin");
    }

    /** {@code count} users created by one burst of commands, as an IdP's sync sends them; their ids. */
    private static List<String> create(String connection, String prefix, int count) {
        List<UserCommand> commands = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            commands.add(UserCommand.create(connection, new UserProfile(prefix + "-" + i + "@keyset.test", null, true,
                    ContractJson.mapper().createObjectNode(), null), new CommandOrigin("t", null, null, null)));
        }
        KafkaTestClient kafka = KafkaTestClient.forQuarkusTest();
        kafka.sendAll(commands.stream().map(command -> new ProducerRecord<>(Topics.USER_COMMANDS,
                command.connectionId(), ContractJson.write(command))).toList());
        Map<UUID, CommandOutcome> outcomes = kafka.awaitOutcomes(commands.stream().map(UserCommand::commandId).toList());
        return commands.stream().map(command -> outcomes.get(command.commandId()))
                .peek(outcome -> assertEquals(CommandOutcome.Status.APPLIED, outcome.status(), outcome.toString()))
                .map(outcome -> outcome.user().id()).toList();
    }
}
