package dev.scimsync.membership.api.admin;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.scimsync.contracts.CommandOutcome;
import dev.scimsync.contracts.ContractJson;
import dev.scimsync.contracts.MemberStateRecord;
import dev.scimsync.contracts.Placement;
import dev.scimsync.contracts.Topics;
import dev.scimsync.contracts.UserCommand;
import dev.scimsync.contracts.UserProfile;
import dev.scimsync.testsupport.InfrastructureTestResource;
import dev.scimsync.testsupport.KafkaTestClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * Issue 21: a consumer that reads the compacted {@code membership.state} topic from its beginning holds the current
 * membership of every organization, without calling any API. After 10,000 mixed SCIM changes (creates, profile and
 * role changes, deactivations and re-activations, moves between organizations and teams, deletions) applied by the
 * real consumer, captured by the real outbox relay, the topic alone rebuilds both organizations of the tenant
 * exactly as the admin API lists them.
 */
@QuarkusTest
@QuarkusTestResource(InfrastructureTestResource.class)
class MembershipStateTopicTest {

    private static final int USERS = 2_000;
    private static final int CHANGES = 10_000;
    private static final List<String> TEAMS = List.of("alpha", "beta", "gamma");
    private static final List<String> ROLES = List.of("member", "editor", "owner");

    /** A member as both sides describe it: email, role, state, source and sorted teams. */
    private record Seen(String email, String role, String state, String source, List<String> teams) {
    }

    @Test
    void theTopicAloneRebuildsEveryOrganizationAfterTenThousandMixedChanges() {
        String org = MembershipRulesTest.unique("state");
        String labs = org + "-labs";
        String connection = MembershipRulesTest.tenant(org, null, false);
        // Thousands of deactivations and removals in a minute: the guard would hold most (it has its own test).
        MembershipRulesTest.admin().body("{\"enabled\": false}").patch("/connections/{c}/guard", org + "-sso")
                .then().statusCode(200);
        KafkaTestClient kafka = KafkaTestClient.forQuarkusTest();
        Random random = new Random(20261130);

        List<UserCommand> creates = new ArrayList<>();
        for (int i = 0; i < USERS; i++) {
            creates.add(UserCommand.create(connection, profile("u" + i + "@state.test", true, placement(random, org, labs)),
                    null));
        }
        Map<UUID, CommandOutcome> created = send(kafka, connection, creates);
        Map<String, String> ids = new HashMap<>();
        creates.forEach(c -> ids.put(c.profile().userName(), created.get(c.commandId()).user().id()));

        List<UserCommand> changes = new ArrayList<>();
        List<String> userNames = new ArrayList<>(ids.keySet());
        userNames.sort(null);
        for (int i = USERS; i < CHANGES; i++) {
            String userName = userNames.get(random.nextInt(userNames.size()));
            String id = ids.get(userName);
            if (random.nextInt(100) < 4) {
                changes.add(UserCommand.delete(connection, id, null, null));
            } else {
                changes.add(UserCommand.replace(connection, id, profile(userName, random.nextInt(100) >= 20,
                        placement(random, org, labs)), null, null));
            }
        }
        Map<UUID, CommandOutcome> outcomes = send(kafka, connection, changes);
        long applied = outcomes.values().stream().filter(o -> o.status() == CommandOutcome.Status.APPLIED).count();
        assertTrue(applied > CHANGES - USERS - 1_000, applied + " of the changes applied (the rest named deleted users)");

        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
            Map<String, Map<String, Seen>> fromTopic = readStateTopic();
            for (String organization : List.of(org, labs)) {
                Map<String, Seen> listed = adminApiMembers(organization);
                assertEquals(listed, fromTopic.getOrDefault(organization, Map.of()), organization);
            }
        });
        assertTrue(adminApiMembers(org).size() + adminApiMembers(labs).size() > USERS / 2, "a real membership was compared");
    }

    private static Placement placement(Random random, String org, String labs) {
        String organization = random.nextBoolean() ? org : labs;
        String team = random.nextInt(4) == 0 ? null : TEAMS.get(random.nextInt(TEAMS.size()));
        return new Placement(ROLES.get(random.nextInt(ROLES.size())), organization, team);
    }

    private static UserProfile profile(String userName, boolean active, Placement placement) {
        return new UserProfile(userName, null, active, ContractJson.mapper().createObjectNode(), placement);
    }

    /** Sends the commands in bursts (the connection's order kept) and answers every command's outcome. */
    private static Map<UUID, CommandOutcome> send(KafkaTestClient kafka, String connection, List<UserCommand> commands) {
        for (int from = 0; from < commands.size(); from += 500) {
            kafka.sendBurst(Topics.USER_COMMANDS, connection, commands.subList(from, Math.min(from + 500, commands.size()))
                    .stream().map(ContractJson::write).toList());
        }
        return kafka.awaitOutcomes(new java.util.HashSet<>(commands.stream().map(UserCommand::commandId).toList()));
    }

    /** Every organization's members as the topic's latest record per key says, tombstones removing them. */
    private static Map<String, Map<String, Seen>> readStateTopic() {
        Map<String, MemberStateRecord> latest = new HashMap<>();
        // The shared client reads the topic on from where its last call stopped, not from the beginning each time.
        for (ConsumerRecord<String, byte[]> record : KafkaTestClient.forQuarkusTest().readToEnd(Topics.MEMBERSHIP_STATE)) {
            if (record.value() == null) {
                latest.remove(record.key());
            } else {
                latest.put(record.key(), ContractJson.read(record.value(), MemberStateRecord.class));
            }
        }
        Map<String, Map<String, Seen>> organizations = new TreeMap<>();
        latest.forEach((key, state) -> {
            assertEquals(MemberStateRecord.key(state.organizationId(), state.memberId()), key);
            organizations.computeIfAbsent(state.organization(), o -> new TreeMap<>()).put(state.userName(),
                    new Seen(state.userName(), state.role(), state.state(), state.source(),
                            state.teams().stream().sorted().toList()));
        });
        return organizations;
    }

    private static Map<String, Seen> adminApiMembers(String organization) {
        Map<String, Seen> members = new TreeMap<>();
        for (int startIndex = 1; ; startIndex += 1000) {
            JsonNode page = ContractJson.read(MembershipRulesTest.admin().get("/organizations/{o}/members?count=1000"
                    + "&startIndex=" + startIndex, organization).then().statusCode(200).extract().asByteArray(), JsonNode.class);
            for (JsonNode member : page.path("members")) {
                List<String> teams = new ArrayList<>();
                member.path("teams").forEach(team -> teams.add(team.asText()));
                teams.sort(null);
                members.put(member.path("email").asText(), new Seen(member.path("email").asText(),
                        member.path("role").asText(), member.path("state").asText(), member.path("source").asText(), teams));
            }
            if (startIndex + 1000 > page.path("totalResults").asLong()) {
                return members;
            }
        }
    }
}
