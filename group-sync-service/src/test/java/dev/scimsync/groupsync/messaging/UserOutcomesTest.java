package dev.scimsync.groupsync.messaging;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scimsync.contracts.CommandOutcome;
import dev.scimsync.contracts.ContractJson;
import dev.scimsync.contracts.GroupCommand;
import dev.scimsync.contracts.Topics;
import dev.scimsync.groupsync.FakeMembership;
import dev.scimsync.groupsync.TestTenant;
import dev.scimsync.testsupport.DatabaseOutage;
import dev.scimsync.testsupport.InfrastructureTestResource;
import dev.scimsync.testsupport.TestDatabase;
import dev.scimsync.testsupport.KafkaTestClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.smallrye.reactive.messaging.kafka.KafkaConsumer;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/** The local user directory follows membership-service's outcomes a poll at a time. */
@QuarkusTest
@QuarkusTestResource(InfrastructureTestResource.class)
@QuarkusTestResource(FakeMembership.class)
class UserOutcomesTest {

    private final KafkaTestClient kafka = KafkaTestClient.forQuarkusTest();

    @Inject
    KafkaClientService kafkaClients;

    private record Stored(long version, boolean active, String transaction) {
    }

    /** The connection's users as recorded here, by id. */
    private static Map<String, Stored> directory(String connection) throws SQLException {
        try (Connection db = TestDatabase.connect();
             var statement = db.prepareStatement("select user_id, version, active, xmin::text from directory_user "
                     + "where connection_id = ?")) {
            statement.setString(1, connection);
            Map<String, Stored> users = new HashMap<>();
            try (var rows = statement.executeQuery()) {
                while (rows.next()) {
                    users.put(rows.getString(1), new Stored(rows.getLong(2), rows.getBoolean(3), rows.getString(4)));
                }
            }
            return users;
        }
    }

    /** A group's member ids (sorted), member count and version, as stored here. */
    private static List<String> groupMembers(String groupId) throws SQLException {
        try (Connection db = TestDatabase.connect();
             var statement = db.prepareStatement("select user_id from group_member where group_id = ?::uuid "
                     + "order by user_id")) {
            statement.setString(1, groupId);
            List<String> members = new ArrayList<>();
            try (var rows = statement.executeQuery()) {
                while (rows.next()) {
                    members.add(rows.getString(1));
                }
            }
            return members;
        }
    }

    private static long groupColumn(String groupId, String column) throws SQLException {
        try (Connection db = TestDatabase.connect();
             var statement = db.prepareStatement("select " + column + " from scim_group where id = ?::uuid")) {
            statement.setString(1, groupId);
            try (var rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    private static ProducerRecord<String, byte[]> outcome(TestTenant tenant, CommandOutcome outcome) {
        return new ProducerRecord<>(Topics.COMMAND_OUTCOMES, tenant.connectionId, ContractJson.write(outcome));
    }

    @Test
    void aPollOfOutcomesIsRecordedInOneTransactionAtEachUsersHighestVersionAndDeletionsHold() throws Exception {
        TestTenant tenant = new TestTenant();
        List<String> members = tenant.users(2);
        String leaver = members.get(0);
        String stayer = members.get(1);
        CommandOutcome group = kafka.apply(GroupCommand.create(tenant.connectionId, "poll-group", null,
                new ArrayList<>(members), null));
        assertEquals(CommandOutcome.Status.APPLIED, group.status(), () -> String.valueOf(group.failure()));

        List<String> users = tenant.users(150);
        List<ProducerRecord<String, byte[]>> poll = new ArrayList<>();
        for (String user : users) {
            poll.add(outcome(tenant, CommandOutcome.applied(UUID.randomUUID(), tenant.connectionId,
                    UserSnapshots.of(user, tenant, true, 1))));
        }
        // A third of them deactivated; their older, active version arrives after it within the same poll.
        for (String user : users.subList(0, 50)) {
            poll.add(outcome(tenant, CommandOutcome.applied(UUID.randomUUID(), tenant.connectionId,
                    UserSnapshots.of(user, tenant, false, 3))));
            poll.add(outcome(tenant, CommandOutcome.applied(UUID.randomUUID(), tenant.connectionId,
                    UserSnapshots.of(user, tenant, true, 2))));
        }
        poll.add(75, new ProducerRecord<>(Topics.COMMAND_OUTCOMES, tenant.connectionId,
                "garbage".getBytes(StandardCharsets.UTF_8)));
        // Updated, then deleted: the update must not bring the member back.
        poll.add(outcome(tenant, CommandOutcome.applied(UUID.randomUUID(), tenant.connectionId,
                UserSnapshots.of(leaver, tenant, true, 2))));
        poll.add(outcome(tenant, CommandOutcome.userDeleted(UUID.randomUUID(), tenant.connectionId,
                UserSnapshots.of(leaver, tenant, true, 3))));

        KafkaConsumer<Object, Object> consumer = kafkaClients.getConsumer("user-outcomes");
        await().atMost(Duration.ofSeconds(30)).until(() -> !consumer.getAssignments().await()
                .atMost(Duration.ofSeconds(10)).isEmpty());
        consumer.pause().await().atMost(Duration.ofSeconds(10));
        try {
            kafka.sendAll(poll);
        } finally {
            consumer.resume().await().atMost(Duration.ofSeconds(10));
        }

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().queryParam("members", true)
                .get("/internal/v1/connections/{c}/groups/{id}", tenant.connectionId, group.group().id())
                .then().body("members.value", contains(stayer)).body("group.memberCount", equalTo(1)));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertEquals(151, directory(tenant.connectionId).size()));
        Map<String, Stored> directory = directory(tenant.connectionId);
        Set<String> transactions = new HashSet<>();
        for (int i = 0; i < users.size(); i++) {
            Stored stored = directory.get(users.get(i));
            assertEquals(i < 50 ? 3 : 1, stored.version(), "version of user " + i);
            assertEquals(i >= 50, stored.active(), "active of user " + i);
            transactions.add(stored.transaction());
        }
        assertEquals(1, transactions.size(), "the poll's users were recorded by one transaction");
    }

    /**
     * Another connection adopts a user (a connection-to-connection migration in membership-service): the directory
     * follows, so the old connection's groups can no longer add it, and the new connection's can. And it leaves the
     * old connection's groups: an old IdP switched off after the move never removes it from them, so a team the new
     * IdP took it out of kept it through the old group.
     */
    @Test
    void aUserAnotherConnectionAdoptedIsThatConnectionsFromThenOn() throws Exception {
        TestTenant old = new TestTenant();
        TestTenant adopting = new TestTenant();
        List<String> oldUsers = old.users(2);
        String moved = oldUsers.get(0);
        CommandOutcome oldTeam = kafka.apply(GroupCommand.create(old.connectionId, "old-idp-team", null,
                new ArrayList<>(oldUsers), null));
        assertEquals(CommandOutcome.Status.APPLIED, oldTeam.status(), () -> String.valueOf(oldTeam.failure()));
        kafka.sendAll(List.of(outcome(old, CommandOutcome.applied(UUID.randomUUID(), old.connectionId,
                UserSnapshots.of(moved, old, true, 1)))));
        await().atMost(Duration.ofSeconds(30)).until(() -> directory(old.connectionId).containsKey(moved));
        long versionBefore = groupColumn(oldTeam.group().id(), "version");

        FakeMembership.User user = FakeMembership.USERS.get(moved);
        FakeMembership.USERS.put(moved, new FakeMembership.User(moved, adopting.connectionId, user.userName(), true, 2));
        kafka.sendAll(List.of(outcome(adopting, CommandOutcome.applied(UUID.randomUUID(), adopting.connectionId,
                new dev.scimsync.contracts.UserSnapshot(moved, adopting.connectionId, new dev.scimsync.contracts
                        .UserProfile(user.userName(), null, true, ContractJson.mapper().createObjectNode()), 2,
                        java.time.Instant.now(), java.time.Instant.now())))));
        await().atMost(Duration.ofSeconds(30)).until(() -> directory(adopting.connectionId).containsKey(moved));
        assertTrue(!directory(old.connectionId).containsKey(moved));
        assertEquals(List.of(oldUsers.get(1)), groupMembers(oldTeam.group().id()), "the old group keeps the others");
        assertEquals(1, groupColumn(oldTeam.group().id(), "member_count"));
        assertTrue(groupColumn(oldTeam.group().id(), "version") > versionBefore, "the old group's version moved on");

        CommandOutcome oldGroup = kafka.apply(GroupCommand.create(old.connectionId, "old-idp-group", null,
                new ArrayList<>(List.of(moved)), null));
        assertEquals(CommandOutcome.Status.REJECTED, oldGroup.status());
        assertEquals("member '" + moved + "' is not a user of this connection", oldGroup.failure().detail());
        CommandOutcome newGroup = kafka.apply(GroupCommand.create(adopting.connectionId, "new-idp-group", null,
                new ArrayList<>(List.of(moved)), null));
        assertEquals(CommandOutcome.Status.APPLIED, newGroup.status(), () -> String.valueOf(newGroup.failure()));
    }

    /**
     * group-sync's database away for longer than the consumer once retried (five attempts over about 5 s, then
     * the outcomes were skipped): a deactivation consumed meanwhile is recorded when the database is back, so
     * the user leaves every team the group maps to (team membership joins only active directory users).
     */
    @Test
    void aDeactivationDuringADatabaseOutageIsRecordedWhenItEnds() throws Exception {
        TestTenant tenant = new TestTenant();
        List<String> members = tenant.users(2);
        String leaver = members.get(0);
        CommandOutcome group = kafka.apply(GroupCommand.create(tenant.connectionId, "outage-group", null,
                new ArrayList<>(members), null));
        assertEquals(CommandOutcome.Status.APPLIED, group.status(), () -> String.valueOf(group.failure()));
        await().atMost(Duration.ofSeconds(30)).until(() -> directory(tenant.connectionId).size() == 2);

        var config = ConfigProvider.getConfig();
        try (DatabaseOutage outage = DatabaseOutage.begin(config.getValue("quarkus.datasource.jdbc.url", String.class),
                config.getValue("quarkus.datasource.username", String.class),
                config.getValue("quarkus.datasource.password", String.class))) {
            kafka.sendAll(List.of(outcome(tenant, CommandOutcome.applied(UUID.randomUUID(), tenant.connectionId,
                    UserSnapshots.of(leaver, tenant, false, 2)))));
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/q/health/ready").then()
                    .statusCode(503));
            Thread.sleep(15_000);
        }

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertEquals(2,
                directory(tenant.connectionId).get(leaver).version()));
        assertEquals(false, directory(tenant.connectionId).get(leaver).active(), "team membership reads this flag");
        assertEquals(true, directory(tenant.connectionId).get(members.get(1)).active());
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/q/health/ready").then()
                .statusCode(200));
    }
}
