package dev.scimsync.groupsync.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scimsync.contracts.CommandFailure;
import dev.scimsync.contracts.CommandOutcome;
import dev.scimsync.contracts.ContractJson;
import dev.scimsync.contracts.GroupCommand;
import dev.scimsync.contracts.GroupEdit;
import dev.scimsync.contracts.GroupSnapshot;
import dev.scimsync.contracts.Topics;
import dev.scimsync.groupsync.FakeMembership;
import dev.scimsync.groupsync.TestTenant;
import dev.scimsync.runtime.DatabaseFailures;
import dev.scimsync.testsupport.InfrastructureTestResource;
import dev.scimsync.testsupport.TestDatabase;
import dev.scimsync.testsupport.KafkaTestClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import jakarta.inject.Inject;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * A burst of group commands for one connection, as an IdP's sync sends them, against the real broker and
 * PostgreSQL: applied a poll per transaction, each command still answered on its own with its own trace, bad
 * ones rejected or parked without their neighbours.
 */
@QuarkusTest
@QuarkusTestResource(InfrastructureTestResource.class)
@QuarkusTestResource(FakeMembership.class)
class GroupCommandBatchesTest {

    private static final String UNREADABLE = "{not a group command";

    private final KafkaTestClient kafka = KafkaTestClient.forQuarkusTest();

    /** Where SmallRye parks an unreadable command: configuration, so it must agree with the contracts' name. */
    @ConfigProperty(name = "mp.messaging.incoming.group-commands.dead-letter-queue.topic")
    String deadLetterTopic;

    @Test
    void unreadableCommandsAreParkedOnTheDeadLetterTopicTheOtherServicesKnow() {
        assertEquals(Topics.GROUP_COMMANDS_DLQ, deadLetterTopic);
    }

    /** An outcome as published, with the trace context it carries. */
    private record Published(CommandOutcome outcome, String traceparent) {
    }

    @Test
    void aBurstIsAppliedInFewTransactionsAndOnlyItsBadCommandsAreRefused() throws Exception {
        TestTenant tenant = new TestTenant();
        // One user per command, so each one's team event tells which command's transaction context wrote it.
        List<String> creators = tenant.users(30);
        List<String> joiners = tenant.users(10);
        List<GroupCommand> setup = IntStream.range(0, 10).mapToObj(i -> GroupCommand.create(tenant.connectionId,
                tenant.organization + ":patched-" + i, null, List.of(), null)).toList();
        kafka.sendBurst(Topics.GROUP_COMMANDS, tenant.connectionId, setup.stream().map(ContractJson::write).toList());
        Map<UUID, CommandOutcome> setUp = kafka.awaitOutcomes(setup.stream().map(GroupCommand::commandId).toList());
        List<String> patched = setup.stream().map(c -> setUp.get(c.commandId()).group().id()).toList();

        List<GroupCommand> creates = IntStream.range(0, 30).mapToObj(i -> GroupCommand.create(tenant.connectionId,
                tenant.organization + ":burst-" + i, "ext-" + i, List.of(creators.get(i)), null)).toList();
        List<GroupCommand> patches = IntStream.range(0, 10).mapToObj(i -> GroupCommand.modify(tenant.connectionId,
                patched.get(i), List.of(GroupEdit.addMembers(List.of(joiners.get(i)))), 1L, null)).toList();
        // PostgreSQL refuses a NUL character in text; the name check passes (it is free) and nothing else is wrong.
        GroupCommand unstorable = GroupCommand.create(tenant.connectionId, "nul\u0000name", null, List.of(), null);
        // Taken by a create earlier in the same burst (another letter case): seen inside the poll's transaction.
        GroupCommand nameTaken = GroupCommand.create(tenant.connectionId, tenant.organization + ":BURST-3", null,
                List.of(), null);
        GroupCommand redelivered = creates.get(5);
        // Adds a member, then fails on its rename: the member it added is taken out with it (to its savepoint).
        GroupCommand halfDone = GroupCommand.modify(tenant.connectionId, patched.get(0), List.of(
                GroupEdit.addMembers(List.of(joiners.get(1))), GroupEdit.displayName(tenant.organization + ":burst-7")),
                null, null);

        List<GroupCommand> burst = new ArrayList<>();
        burst.addAll(creates.subList(0, 15));
        burst.addAll(patches.subList(0, 5));
        burst.add(unstorable);
        burst.add(null);
        burst.add(nameTaken);
        burst.addAll(creates.subList(15, 30));
        burst.add(redelivered);
        burst.addAll(patches.subList(5, 10));
        burst.add(halfDone);
        Map<UUID, String> traces = new HashMap<>();
        burst.stream().filter(c -> c != null).forEach(c -> traces.put(c.commandId(), traceparent()));

        kafka.sendBurst(Topics.GROUP_COMMANDS, tenant.connectionId,
                burst.stream().map(c -> c == null ? UNREADABLE.getBytes(StandardCharsets.UTF_8) : ContractJson.write(c))
                        .toList(),
                i -> burst.get(i) == null ? Map.of() : Map.of("traceparent", traces.get(burst.get(i).commandId())));

        Map<UUID, Integer> deliveries = new HashMap<>();
        burst.stream().filter(c -> c != null).forEach(c -> deliveries.merge(c.commandId(), 1, Integer::sum));
        Map<UUID, List<Published>> published = awaitPublished(deliveries);
        published.forEach((id, outcomes) -> outcomes.forEach(p -> assertEquals(traces.get(id), p.traceparent(),
                "an outcome carries its command's trace context")));
        Set<String> groupIds = new HashSet<>();
        for (int i = 0; i < creates.size(); i++) {
            CommandOutcome created = published.get(creates.get(i).commandId()).get(0).outcome();
            assertEquals(CommandOutcome.Status.APPLIED, created.status(), String.valueOf(created.failure()));
            assertEquals(tenant.organization + ":burst-" + i, created.group().displayName());
            assertEquals("ext-" + i, created.group().externalId());
            assertEquals(1, created.group().memberCount());
            assertTrue(groupIds.add(created.group().id()), "each create is a group of its own");
            assertEquals(created.group().created(), created.group().lastModified());
        }
        for (int i = 0; i < patches.size(); i++) {
            CommandOutcome added = published.get(patches.get(i).commandId()).get(0).outcome();
            assertEquals(CommandOutcome.Status.APPLIED, added.status(), String.valueOf(added.failure()));
            assertEquals(patched.get(i), added.group().id());
            assertEquals(2, added.group().version());
            assertEquals(1, added.group().memberCount());
        }
        CommandOutcome refused = published.get(unstorable.commandId()).get(0).outcome();
        assertEquals(CommandFailure.Reason.INVALID_VALUE, refused.failure().reason());
        assertTrue(refused.failure().detail().startsWith("the group could not be stored"), refused.failure().detail());
        assertEquals(CommandFailure.Reason.UNIQUENESS,
                published.get(nameTaken.commandId()).get(0).outcome().failure().reason());
        assertEquals(CommandFailure.Reason.UNIQUENESS,
                published.get(halfDone.commandId()).get(0).outcome().failure().reason());
        List<Published> answers = published.get(redelivered.commandId());
        assertEquals(answers.get(0).outcome(), answers.get(1).outcome(), "a redelivery is answered with the first outcome");
        assertTrue(kafka.await(Topics.GROUP_COMMANDS_DLQ, Duration.ofSeconds(30), record ->
                new String(record.value(), StandardCharsets.UTF_8).equals(UNREADABLE) ? Optional.of(record)
                        : Optional.empty()).isPresent(), "the unreadable command is parked on the dead-letter topic");

        try (Connection sql = TestDatabase.connect()) {
            assertEquals(40, count(sql, "select count(*) from scim_group where connection_id = ?", tenant.connectionId),
                    "the 10 groups set up and the 30 created; the refused and the redelivered commands made none");
            assertEquals(1, count(sql, "select count(*) from group_member where group_id = ?::uuid", patched.get(0)),
                    "the refused rename's added member was rolled back with it");
            try (PreparedStatement statement = sql.prepareStatement("select count(*), count(distinct processed_at) "
                    + "from processed_command where command_id = any(?)")) {
                statement.setArray(1, sql.createArrayOf("uuid", deliveries.keySet().toArray()));
                try (ResultSet rows = statement.executeQuery()) {
                    rows.next();
                    assertEquals(deliveries.size(), rows.getInt(1), "each command's outcome is recorded once");
                    // processed_at is the time its transaction began: one command per transaction would give 43.
                    assertTrue(rows.getInt(2) < deliveries.size() / 2,
                            deliveries.size() + " commands took " + rows.getInt(2) + " transactions");
                }
            }
        }

        // The poll's commands share a transaction, yet each one's team events carry its own trace context.
        Map<String, String> expectedTraces = new HashMap<>();
        for (int i = 0; i < creates.size(); i++) {
            expectedTraces.put(creators.get(i), traces.get(creates.get(i).commandId()));
        }
        for (int i = 0; i < patches.size(); i++) {
            expectedTraces.put(joiners.get(i), traces.get(patches.get(i).commandId()));
        }
        assertEquals(expectedTraces, awaitMemberAddedTraces(expectedTraces.keySet()));
    }

    /** The outcomes of these commands with their trace context, once each has been published this many times. */
    private Map<UUID, List<Published>> awaitPublished(Map<UUID, Integer> deliveries) {
        Map<UUID, List<Published>> published = new HashMap<>();
        return kafka.await(Topics.COMMAND_OUTCOMES, Duration.ofSeconds(60), record -> {
            CommandOutcome outcome = ContractJson.read(record.value(), CommandOutcome.class);
            if (deliveries.containsKey(outcome.commandId())) {
                published.computeIfAbsent(outcome.commandId(), id -> new ArrayList<>())
                        .add(new Published(outcome, KafkaTestClient.header(record, "traceparent")));
            }
            boolean complete = deliveries.entrySet().stream().allMatch(expected ->
                    published.getOrDefault(expected.getKey(), List.of()).size() >= expected.getValue());
            return complete ? Optional.of(published) : Optional.empty();
        }).orElseThrow(() -> new AssertionError("outcomes of " + published.size() + " of " + deliveries.size()
                + " commands arrived"));
    }

    /** The trace context of each member's (first) team.member.added event. */
    private Map<String, String> awaitMemberAddedTraces(Set<String> members) {
        Map<String, String> traces = new HashMap<>();
        return kafka.await(Topics.TEAM_EVENTS, Duration.ofSeconds(60), record -> {
            if (members.contains(record.key())
                    && "dev.scimsync.team.member.added.v1".equals(KafkaTestClient.header(record, "ce_type"))) {
                traces.putIfAbsent(record.key(), KafkaTestClient.header(record, "traceparent"));
            }
            return traces.size() == members.size() ? Optional.of(traces) : Optional.empty();
        }).orElseThrow(() -> new AssertionError("team events of " + traces.size() + " of " + members.size()
                + " members arrived"));
    }

    @Inject
    GroupCommandApplier applier;

    /**
     * A rebalance during a database hiccup: this consumer read "not processed", then waited for the group while the
     * consumer the partition went to applied the same add, then the IdP's later removal, and committed. Applied
     * again here, the add would put back a member the IdP took out.
     */
    @Test
    void aCommandAnotherConsumerCommittedWhileThisOneWaitedForTheGroupIsNotAppliedAgain() throws Exception {
        TestTenant tenant = new TestTenant();
        String member = tenant.users(1).get(0);
        GroupCommand create = GroupCommand.create(tenant.connectionId, tenant.organization + ":raced", null, List.of(),
                null);
        kafka.sendBurst(Topics.GROUP_COMMANDS, tenant.connectionId, List.of(ContractJson.write(create)));
        String groupId = kafka.awaitOutcomes(List.of(create.commandId())).get(create.commandId()).group().id();
        GroupCommand add = GroupCommand.modify(tenant.connectionId, groupId,
                List.of(GroupEdit.addMembers(List.of(member))), null, null);
        CommandOutcome theirs = CommandOutcome.applied(add.commandId(), tenant.connectionId, (GroupSnapshot) null);

        CompletableFuture<List<CommandOutcome>> stale;
        try (Connection other = TestDatabase.connect()) {
            other.setAutoCommit(false);
            try (PreparedStatement lock = other.prepareStatement("select id from scim_group where id = ?::uuid for update")) {
                lock.setString(1, groupId);
                lock.executeQuery().close();
            }
            stale = applier.apply(List.of(new GroupCommandApplier.Pending(add, null))).subscribeAsCompletionStage();
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> waitingForALock(other) > 0);
            try (PreparedStatement recorded = other.prepareStatement("insert into processed_command "
                    + "(command_id, connection_id, outcome) values (?, ?, ?)")) {
                recorded.setObject(1, add.commandId());
                recorded.setString(2, tenant.connectionId);
                recorded.setString(3, new String(ContractJson.write(theirs), StandardCharsets.UTF_8));
                recorded.executeUpdate();
            }
            other.commit();
        }
        ExecutionException refused = assertThrows(ExecutionException.class, () -> stale.get(30, TimeUnit.SECONDS),
                "the poll fails, for the consumer to retry it");
        assertTrue(DatabaseFailures.uniqueViolation(refused, "processed_command_pkey"), refused.toString());
        assertEquals(List.of(theirs), applier.apply(List.of(new GroupCommandApplier.Pending(add, null)))
                .await().atMost(Duration.ofSeconds(30)), "the retry answers with the other consumer's outcome");
        try (Connection sql = TestDatabase.connect()) {
            assertEquals(0, count(sql, "select count(*) from group_member where group_id = ?::uuid", groupId));
        }
    }

    private static int waitingForALock(Connection sql) throws Exception {
        try (PreparedStatement statement = sql.prepareStatement(
                "select count(*) from pg_stat_activity where wait_event_type = 'Lock' and datname = current_database()");
                ResultSet rows = statement.executeQuery()) {
            rows.next();
            return rows.getInt(1);
        }
    }

    private static String traceparent() {
        return "00-" + UUID.randomUUID().toString().replace("-", "") + "-00f067aa0ba902b7-01";
    }

    private static int count(Connection sql, String query, String parameter) throws Exception {
        try (PreparedStatement statement = sql.prepareStatement(query)) {
            statement.setString(1, parameter);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        }
    }

}
