package dev.scimsync.membership.api.admin;

import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.scimsync.contracts.CommandFailure;
import dev.scimsync.contracts.CommandOutcome;
import dev.scimsync.contracts.ContractJson;
import dev.scimsync.contracts.Topics;
import dev.scimsync.contracts.UserCommand;
import dev.scimsync.contracts.UserProfile;
import dev.scimsync.membership.messaging.ApprovalOutcomes;
import dev.scimsync.testsupport.InfrastructureTestResource;
import dev.scimsync.testsupport.KafkaTestClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;

/**
 * Issue 21, the mass-deprovisioning guard, in an Okta-shaped run: 500 users are provisioned, then the IdP unassigns
 * 60 % of them (each a deactivation). With the defaults (10 % of the connection's SCIM members, at most 50, in 10
 * minutes) the first 50 are applied and the other 250 are held - answered as applied, not applied. Approval applies
 * exactly the held ones, once; rejection applies none.
 */
@QuarkusTest
@QuarkusTestResource(InfrastructureTestResource.class)
class MassDeprovisioningGuardTest {

    private static final int USERS = 500;
    private static final int UNASSIGNED = 300;

    private record Tenant(String organization, String connectionName, List<CommandOutcome> users) {
    }

    private static Tenant provisioned(String label) {
        String org = MembershipRulesTest.unique(label);
        String connection = MembershipRulesTest.tenant(org, null, false);
        List<UserCommand> creates = new ArrayList<>();
        for (int i = 0; i < USERS; i++) {
            creates.add(UserCommand.create(connection, profile("p" + i + "@" + org + ".test", true), null));
        }
        Map<UUID, CommandOutcome> outcomes = send(connection, creates);
        return new Tenant(org, org + "-sso", creates.stream().map(c -> outcomes.get(c.commandId())).toList());
    }

    private static UserProfile profile(String userName, boolean active) {
        return new UserProfile(userName, null, active, ContractJson.mapper().createObjectNode(), null);
    }

    private static Map<UUID, CommandOutcome> send(String connection, List<UserCommand> commands) {
        KafkaTestClient kafka = KafkaTestClient.forQuarkusTest();
        for (int from = 0; from < commands.size(); from += 200) {
            kafka.sendBurst(Topics.USER_COMMANDS, connection, commands.subList(from, Math.min(from + 200,
                    commands.size())).stream().map(ContractJson::write).toList());
        }
        return kafka.awaitOutcomes(new HashSet<>(commands.stream().map(UserCommand::commandId).toList()));
    }

    /** The IdP unassigns the first 300 users: each a PATCH active=false, one after another. */
    private static List<CommandOutcome> unassign(Tenant tenant) {
        String connection = tenant.users().get(0).connectionId();
        List<UserCommand> deactivations = new ArrayList<>();
        for (CommandOutcome user : tenant.users().subList(0, UNASSIGNED)) {
            deactivations.add(UserCommand.replace(connection, user.user().id(),
                    profile(user.user().profile().userName(), false), null, null));
        }
        Map<UUID, CommandOutcome> outcomes = send(connection, deactivations);
        return deactivations.stream().map(c -> outcomes.get(c.commandId())).toList();
    }

    /** A tenant of that organization whose guard holds every deactivation; the connection's id. */
    private static String holdingEveryDeactivation(String org) {
        String connection = MembershipRulesTest.tenant(org, null, false);
        MembershipRulesTest.admin().body("{\"maxMembers\": 0, \"minMembers\": 0}")
                .patch("/connections/{c}/guard", org + "-sso").then().statusCode(200);
        return connection;
    }

    private static void assertActiveMembers(Tenant tenant, int active) {
        MembershipRulesTest.admin().get("/organizations/{o}/members?state=active&count=0", tenant.organization())
                .then().statusCode(200).body("totalResults", equalTo(active));
    }

    /** The users among {@code users} whose applied deactivation is on the outcomes topic, once all of them are. */
    private static Set<String> appliedDeactivationsPublished(Set<String> users) {
        Set<String> published = new HashSet<>();
        KafkaTestClient kafka = KafkaTestClient.forQuarkusTest();
        int[] checked = {0};
        try {
            Awaitility.await().pollInSameThread().pollDelay(Duration.ZERO).atMost(Duration.ofSeconds(60)).until(() -> {
                List<ConsumerRecord<String, byte[]>> records = kafka.records(Topics.COMMAND_OUTCOMES);
                for (ConsumerRecord<String, byte[]> record : records.subList(checked[0], records.size())) {
                    CommandOutcome outcome;
                    try {
                        outcome = ContractJson.read(record.value(), CommandOutcome.class);
                    } catch (java.io.UncheckedIOException unreadable) {
                        continue;
                    }
                    if (outcome.status() == CommandOutcome.Status.APPLIED && outcome.user() != null
                            && users.contains(outcome.user().id()) && !outcome.user().profile().active()) {
                        published.add(outcome.user().id());
                    }
                }
                checked[0] = records.size();
                return published.equals(users);
            });
        } catch (ConditionTimeoutException e) {
            // The caller's assertion names what is missing.
        }
        return published;
    }

    @Test
    void sixtyPercentUnassignedTripsTheGuardAtTheThresholdAndApprovalAppliesExactlyTheHeldChangesOnce() {
        Tenant tenant = provisioned("guard");

        List<CommandOutcome> answered = unassign(tenant);

        assertEquals(50, answered.stream().filter(o -> o.status() == CommandOutcome.Status.APPLIED).count());
        assertEquals(List.of(CommandOutcome.Status.APPLIED), answered.subList(0, 50).stream()
                .map(CommandOutcome::status).distinct().toList(), "the first 50, in the order sent");
        assertEquals(List.of(CommandOutcome.Status.HELD), answered.subList(50, UNASSIGNED).stream()
                .map(CommandOutcome::status).distinct().toList(), "everything past the threshold");
        assertEquals(false, answered.get(UNASSIGNED - 1).user().profile().active(), "answered as the IdP asked");
        assertActiveMembers(tenant, USERS - 50);
        MembershipRulesTest.admin().get("/connections/{c}/guard", tenant.connectionName()).then().statusCode(200)
                .body("held", equalTo(250)).body("deprovisionedInWindow", equalTo(50))
                .body("settings.percent", equalTo(10)).body("settings.maxMembers", equalTo(50));
        MembershipRulesTest.admin().get("/connections/{c}/held-changes?state=held", tenant.connectionName()).then()
                .statusCode(200).body("held", equalTo(250)).body("changes", hasSize(250))
                .body("changes[0].userName", equalTo(answered.get(50).user().profile().userName()))
                .body("changes[0].change", equalTo("deactivate"));

        MembershipRulesTest.admin().post("/connections/{c}/held-changes/approve", tenant.connectionName()).then()
                .statusCode(200).body("approved", equalTo(250)).body("superseded", equalTo(0));

        assertActiveMembers(tenant, USERS - UNASSIGNED);
        // Published like every applied command's outcome: group-sync-service takes these users out of their teams.
        Set<String> heldUsers = answered.subList(50, UNASSIGNED).stream().map(o -> o.user().id())
                .collect(Collectors.toSet());
        assertEquals(heldUsers, appliedDeactivationsPublished(heldUsers));
        MembershipRulesTest.admin().get("/connections/{c}/held-changes?state=approved", tenant.connectionName())
                .then().body("held", equalTo(0)).body("changes", hasSize(250));
        MembershipRulesTest.admin().post("/connections/{c}/held-changes/approve", tenant.connectionName()).then()
                .statusCode(200).body("approved", equalTo(0));
        assertActiveMembers(tenant, USERS - UNASSIGNED);
    }

    @Test
    void anUpdateOfAUserWhoseDeactivationIsHeldTakesItsPlaceAndApprovalAppliesIt() {
        String org = MembershipRulesTest.unique("carry");
        String connection = holdingEveryDeactivation(org);
        UserProfile created = profile("leaver@" + org + ".test", true);
        KafkaTestClient kafka = KafkaTestClient.forQuarkusTest();
        String id = kafka.apply(UserCommand.create(connection, created, null)).user().id();

        CommandOutcome deactivation = kafka.apply(UserCommand.replace(connection, id, created.withActive(false), null,
                null));
        UserProfile titled = profile(created.userName(), true);
        titled.attributes().put("title", "Former engineer");
        // The gateway read the user active (its deactivation is held) and the IdP's PATCH did not touch active.
        CommandOutcome update = kafka.apply(UserCommand.replaceKeepingState(connection, id, titled, null, null));

        assertEquals(List.of(CommandOutcome.Status.HELD, CommandOutcome.Status.HELD),
                List.of(deactivation.status(), update.status()));
        assertActiveMembers(new Tenant(org, org + "-sso", List.of()), 1);
        // One person, one held change: the update carries the deactivation, and supersedes the first.
        MembershipRulesTest.admin().get("/connections/{c}/guard", org + "-sso").then().statusCode(200)
                .body("held", equalTo(1));
        MembershipRulesTest.admin().get("/connections/{c}/held-changes?state=superseded", org + "-sso").then()
                .statusCode(200).body("changes", hasSize(1)).body("changes[0].change", equalTo("deactivate"));
        MembershipRulesTest.admin().post("/connections/{c}/held-changes/approve", org + "-sso").then()
                .statusCode(200).body("approved", equalTo(1)).body("superseded", equalTo(0));
        assertActiveMembers(new Tenant(org, org + "-sso", List.of()), 0);
        MembershipRulesTest.admin().get("/organizations/{o}/members?state=deactivated", org).then().statusCode(200)
                .body("members[0].email", equalTo(created.userName()));
    }

    @Inject
    ApprovalOutcomes approvalOutcomes;

    @Inject
    Pool pool;

    /**
     * The approval commits, then publishes its outcomes: group-sync-service takes the deactivated out of their teams
     * from them. A crash in between lost them, and the change, approved already, could not be approved again.
     */
    @Test
    void anApprovalsOutcomesLostInACrashArePublishedAfterwards() {
        String org = MembershipRulesTest.unique("crash");
        String connection = holdingEveryDeactivation(org);
        KafkaTestClient kafka = KafkaTestClient.forQuarkusTest();
        UserProfile created = profile("crashed@" + org + ".test", true);
        String id = kafka.apply(UserCommand.create(connection, created, null)).user().id();
        assertEquals(CommandOutcome.Status.HELD, kafka.apply(UserCommand.replace(connection, id,
                created.withActive(false), null, null)).status());

        MembershipRulesTest.admin().post("/connections/{c}/held-changes/approve", org + "-sso").then()
                .statusCode(200).body("approved", equalTo(1));
        Row decided = pool.preparedQuery("select approval_command_id, approval_published_at from held_change h "
                        + "join connection c on c.id = h.connection_id where c.name = $1")
                .execute(Tuple.of(org + "-sso")).await().atMost(Duration.ofSeconds(10)).iterator().next();
        UUID approval = decided.getUUID("approval_command_id");
        assertNotNull(approval, "the change keeps the command it was applied under");
        assertNotNull(decided.getOffsetDateTime("approval_published_at"), "published by the approval itself");
        Predicate<CommandOutcome> ofTheApproval = outcome -> outcome.commandId().equals(approval);
        assertEquals(1, kafka.count(Topics.COMMAND_OUTCOMES, CommandOutcome.class, ofTheApproval, Duration.ofSeconds(2)));

        // As if the approval's process died after its commit, before Kafka took the outcome, two minutes ago.
        pool.preparedQuery("update held_change set approval_published_at = null, decided_at = decided_at "
                + "- interval '2 minutes' where approval_command_id = $1").execute(Tuple.of(approval))
                .await().atMost(Duration.ofSeconds(10));
        assertEquals(1, approvalOutcomes.publishLeftOver().await().atMost(Duration.ofSeconds(30)));

        List<CommandOutcome> published = new ArrayList<>();
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
            published.clear();
            kafka.records(Topics.COMMAND_OUTCOMES).stream()
                    .map(record -> ContractJson.read(record.value(), CommandOutcome.class)).filter(ofTheApproval)
                    .forEach(published::add);
            return published.size() == 2;
        });
        assertEquals(CommandOutcome.Status.APPLIED, published.get(1).status());
        assertEquals(false, published.get(1).user().profile().active(), "the deactivation, for group-sync-service");
        assertEquals(0, approvalOutcomes.publishLeftOver().await().atMost(Duration.ofSeconds(30)),
                "marked published: not again");
    }

    /**
     * A deactivation the gateway sent alone (the rest of the IdP's request refused) and the guard held: its approval
     * applies it and lists the refusal, as it would have been listed had the guard let it through.
     */
    @Test
    void anApprovedDeactivationSentAloneListsWhatWasRefusedBesideIt() {
        String org = MembershipRulesTest.unique("alone");
        String connection = holdingEveryDeactivation(org);
        KafkaTestClient kafka = KafkaTestClient.forQuarkusTest();
        CommandOutcome created = kafka.apply(UserCommand.create(connection, profile("gone@" + org + ".test", true),
                null));

        CommandOutcome held = kafka.apply(UserCommand.deactivationAlone(connection, created.user().id(),
                created.user().profile(), created.user().version(), null,
                new CommandFailure(CommandFailure.Reason.INVALID_VALUE, "'title' must be a string, got 42")));

        assertEquals(CommandOutcome.Status.HELD, held.status());
        MembershipRulesTest.admin().post("/connections/{c}/held-changes/approve", org + "-sso").then()
                .statusCode(200).body("approved", equalTo(1));
        assertActiveMembers(new Tenant(org, org + "-sso", List.of()), 0);
        MembershipRulesTest.admin().get("/connections/{c}/provisioning-errors", org + "-sso").then().statusCode(200)
                .body("detail", contains("the deactivation was applied alone; the rest of the "
                        + "change was refused: 'title' must be a string, got 42"));
    }

    @Test
    void rejectionAppliesNoneAndALaterReactivationSupersedesAHoldButALaterUpdateDoesNot() {
        Tenant tenant = provisioned("reject");
        List<CommandOutcome> answered = unassign(tenant);
        assertEquals(250, answered.stream().filter(o -> o.status() == CommandOutcome.Status.HELD).count());

        // The admin fixes the IdP for one user first: it sends that user active again.
        CommandOutcome fixed = answered.get(UNASSIGNED - 1);
        CommandOutcome reactivated = KafkaTestClient.forQuarkusTest().apply(UserCommand.replace(
                fixed.connectionId(), fixed.user().id(), profile(fixed.user().profile().userName(), true), null, null));
        assertEquals(CommandOutcome.Status.APPLIED, reactivated.status());
        // It updates another one's profile (a PATCH that does not touch active, which the gateway reads as active
        // while the deactivation is held): that carries the deactivation on, held beside it, and undoes nothing.
        CommandOutcome updated = answered.get(UNASSIGNED - 2);
        CommandOutcome update = KafkaTestClient.forQuarkusTest().apply(UserCommand.replaceKeepingState(
                updated.connectionId(), updated.user().id(), profile(updated.user().profile().userName(), true), null,
                null));
        assertEquals(CommandOutcome.Status.HELD, update.status());
        assertEquals(false, update.user().profile().active());
        // And the IdP sends a third user's deactivation again (Entra ID after "restart provisioning"): held in
        // place of the first, so that the guard counts people, not requests.
        CommandOutcome resent = answered.get(UNASSIGNED - 3);
        assertEquals(CommandOutcome.Status.HELD, KafkaTestClient.forQuarkusTest().apply(UserCommand.replace(
                resent.connectionId(), resent.user().id(), profile(resent.user().profile().userName(), false), null,
                null)).status());
        MembershipRulesTest.admin().get("/connections/{c}/guard", tenant.connectionName()).then().statusCode(200)
                .body("held", equalTo(249));

        MembershipRulesTest.admin().post("/connections/{c}/held-changes/reject", tenant.connectionName()).then()
                .statusCode(200).body("rejected", equalTo(249));

        assertActiveMembers(tenant, USERS - 50);
        MembershipRulesTest.admin().get("/connections/{c}/held-changes?state=superseded", tenant.connectionName())
                .then().body("changes", hasSize(3)).body("changes.userName", contains(   // in the order held
                        resent.user().profile().userName(), updated.user().profile().userName(),
                        fixed.user().profile().userName()));
        MembershipRulesTest.admin().post("/connections/{c}/held-changes/approve", tenant.connectionName()).then()
                .statusCode(200).body("approved", equalTo(0));
        assertActiveMembers(tenant, USERS - 50);
        MembershipRulesTest.admin().get("/connections/{c}/held-changes", "no-such-connection").then().statusCode(404);
        MembershipRulesTest.admin().body("{\"percent\": 101}").patch("/connections/{c}/guard", tenant.connectionName())
                .then().statusCode(400);
        MembershipRulesTest.admin().body("{\"enabled\": false, \"maxMembers\": 5}")
                .patch("/connections/{c}/guard", tenant.connectionName()).then().statusCode(200)
                .body("settings.enabled", equalTo(false)).body("settings.maxMembers", equalTo(5))
                .body("settings.percent", equalTo(10));
    }
}
