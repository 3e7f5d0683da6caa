package dev.scimsync.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.scimsync.contracts.ContractJson;
import dev.scimsync.contracts.MemberStateRecord;
import dev.scimsync.contracts.Topics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

/**
 * Issue 21 through the whole stack: 10,000 mixed changes sent by IdPs through the gateway's SCIM API ({@code POST
 * /Bulk}, five connections of one tenant at once) - creates, profile updates, role and placement changes (moves
 * between the tenant's two organizations and between teams), deactivations, re-activations and deletions. Then a
 * consumer that has never seen the stack reads the compacted {@code membership.state} from its beginning, holds
 * each member's latest record (a tombstone drops it), and must hold both organizations exactly as the admin API
 * lists them, and as the changes sent say they are.
 */
class MembershipStateRebuildIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DOCKER = "urn:ietf:params:scim:schemas:extension:docker:2.0:User";
    private static final String BULK = "urn:ietf:params:scim:api:messages:2.0:BulkRequest";
    private static final int CONNECTIONS = 5;
    private static final int BULKS_PER_CONNECTION = 10;
    private static final int OPERATIONS_PER_BULK = 200;
    private static final List<String> ROLES = List.of("member", "editor", "owner");
    private static final List<String> TEAMS = List.of("alpha", "beta", "gamma");

    private final HttpClient http = HttpClient.newHttpClient();

    /** A member as the admin API and the topic both describe it. */
    private record Seen(String role, String state, String source, List<String> teams) {
    }

    /** What the changes sent made of one user: where it is placed, as what, whether active or deleted. */
    private static final class User {
        final String userName;
        String id;
        String organization;
        String role;
        String team;
        boolean active = true;
        boolean deleted;

        User(String userName) {
            this.userName = userName;
        }
    }

    /** One IdP: a connection of the tenant, its token, and the users it provisioned. */
    private record Idp(String connection, String token, List<User> users) {
    }

    @Test
    void theTopicAloneRebuildsTheOrganizationsAfterTenThousandMixedChangesThroughScim() throws Exception {
        String organization = "rebuild-" + UUID.randomUUID().toString().substring(0, 6);
        String labs = organization + "-labs";
        NewTenant.admin("POST", "/organizations", "{\"name\":\"" + organization + "\"}");
        NewTenant.admin("POST", "/organizations", "{\"name\":\"" + labs + "\"}");
        List<Idp> idps = new ArrayList<>();
        for (int i = 0; i < CONNECTIONS; i++) {
            idps.add(idp(organization + "-sso" + i, organization, labs));
        }

        long started = System.nanoTime();
        ExecutorService clients = Executors.newFixedThreadPool(CONNECTIONS);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int i = 0; i < CONNECTIONS; i++) {
                Idp idp = idps.get(i);
                Random random = new Random(2026_12_01L + i);
                running.add(clients.submit(() -> {
                    for (int bulk = 0; bulk < BULKS_PER_CONNECTION; bulk++) {
                        send(idp, random, organization, labs, bulk);
                    }
                    return null;
                }));
            }
            for (Future<?> client : running) {
                client.get();
            }
        } finally {
            clients.shutdownNow();
        }
        Duration writing = Duration.ofNanos(System.nanoTime() - started);
        System.out.printf("[rebuild] %d changes through SCIM Bulk in %d s%n",
                CONNECTIONS * BULKS_PER_CONNECTION * OPERATIONS_PER_BULK, writing.toSeconds());

        Map<String, User> byId = new HashMap<>();
        idps.forEach(idp -> idp.users().forEach(user -> byId.put(user.id, user)));
        Map<String, Map<String, Seen>> listed = new TreeMap<>();
        for (String org : List.of(organization, labs)) {
            listed.put(org, adminApiMembers(org, byId));
        }
        assertSentChangesAreListed(byId.values(), listed, organization, labs);

        try (KafkaConsumer<String, byte[]> consumer = fromTheBeginning()) {
            Map<String, MemberStateRecord> held = new HashMap<>();
            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                readToTheEnd(consumer, held);
                Map<String, Map<String, Seen>> rebuilt = rebuilt(held.values(), byId, organization, labs);
                assertEquals(listed, rebuilt, "the topic alone holds what the admin API lists");
            });
        }
        System.out.printf("[rebuild] topic caught up %d s after the first change%n",
                Duration.ofNanos(System.nanoTime() - started).toSeconds());
    }

    /** A connection of both organizations, SCIM on, its guard off (thousands of deactivations would be held). */
    private static Idp idp(String connection, String organization, String labs) throws Exception {
        NewTenant.admin("POST", "/connections", "{\"name\":\"" + connection + "\",\"organizations\":[\"" + organization
                + "\",\"" + labs + "\"],\"defaultOrganization\":\"" + organization + "\",\"scimEnabled\":true}");
        NewTenant.withoutMassDeprovisioningGuard(connection);
        String token = NewTenant.admin("POST", "/connections/" + connection + "/scim-tokens", null).path("token")
                .asText();
        return new Idp(connection, token, new ArrayList<>());
    }

    /**
     * One Bulk request of 200 operations: the first of each connection only creates users; the others mix creates
     * with changes of the connection's live users (one created earlier in the request named by its bulkId), each
     * operation checked against the status its single request answers.
     */
    private void send(Idp idp, Random random, String organization, String labs, int bulk) throws Exception {
        ArrayNode operations = JSON.createArrayNode();
        List<Integer> expected = new ArrayList<>();
        List<User> created = new ArrayList<>();
        List<User> live = new ArrayList<>(idp.users().stream().filter(u -> !u.deleted).toList());
        for (int i = 0; i < OPERATIONS_PER_BULK; i++) {
            int dice = bulk == 0 || live.isEmpty() ? 0 : random.nextInt(100);
            ObjectNode operation = operations.addObject();
            if (dice < 25) {
                User user = new User(idp.connection() + "-u" + idp.users().size() + "@rebuild.test");
                place(user, random, organization, labs);
                operation.put("method", "POST").put("path", "/Users").put("bulkId", "b" + created.size())
                        .set("data", fullUser(user, random));
                idp.users().add(user);
                created.add(user);
                live.add(user);
                expected.add(201);
                continue;
            }
            User user = live.get(random.nextInt(live.size()));
            operation.put("path", "/Users/" + (user.id != null ? user.id : "bulkId:b" + created.indexOf(user)));
            if (dice < 50) {
                operation.put("method", "PATCH").set("data", patch(JSON.createObjectNode()
                        .put("displayName", "Changed " + random.nextInt(1_000_000))));
                expected.add(200);
            } else if (dice < 70) {
                place(user, random, organization, labs);
                operation.put("method", "PUT").set("data", fullUser(user, random));
                expected.add(200);
            } else if (dice < 88) {
                user.active = !user.active;
                operation.put("method", "PATCH").set("data", patch(JSON.createObjectNode().put("active", user.active)));
                expected.add(200);
            } else {
                user.deleted = true;
                live.remove(user);
                operation.put("method", "DELETE");
                expected.add(204);
            }
        }
        ObjectNode request = JSON.createObjectNode();
        request.putArray("schemas").add(BULK);
        request.set("Operations", operations);
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(SharedStack.endpoints().scimBaseUrl()
                        + "/Bulk")).header("Authorization", "Bearer " + idp.token())
                .header("Content-Type", ScimClient.SCIM).timeout(Duration.ofMinutes(3))
                .POST(HttpRequest.BodyPublishers.ofString(request.toString())).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), () -> response.body() + SharedStack.loggedErrors());
        JsonNode results = JSON.readTree(response.body()).path("Operations");
        assertEquals(OPERATIONS_PER_BULK, results.size(), "every operation performed");
        for (int i = 0; i < OPERATIONS_PER_BULK; i++) {
            JsonNode result = results.get(i);
            int index = i;
            assertEquals(Integer.toString(expected.get(i)), result.path("status").asText(),
                    () -> idp.connection() + " bulk " + bulk + " operation " + index + ": " + result
                            + SharedStack.loggedErrors());
            if (expected.get(i) == 201) {
                String location = result.path("location").asText();
                created.get(Integer.parseInt(result.path("bulkId").asText().substring(1))).id =
                        location.substring(location.lastIndexOf('/') + 1);
            }
        }
    }

    /** A new placement: mostly the main organization, a third of the time none of the teams. */
    private static void place(User user, Random random, String organization, String labs) {
        user.organization = random.nextInt(10) < 7 ? organization : labs;
        user.role = ROLES.get(random.nextInt(ROLES.size()));
        user.team = random.nextInt(3) == 0 ? null : TEAMS.get(random.nextInt(TEAMS.size()));
    }

    /** The whole user as an IdP's full PUT sends it, the role-mapping extension included. */
    private static ObjectNode fullUser(User user, Random random) {
        ObjectNode body = JSON.createObjectNode();
        body.putArray("schemas").add(ScimClient.CORE_USER).add(DOCKER);
        body.put("userName", user.userName).put("active", user.active)
                .put("displayName", "User " + random.nextInt(1_000_000));
        body.putObject("name").put("givenName", "Given").put("familyName", "Family " + random.nextInt(1_000));
        ObjectNode placement = body.putObject(DOCKER).put("dockerRole", user.role).put("dockerOrg", user.organization);
        if (user.team != null) {
            placement.put("dockerTeam", user.team);
        }
        return body;
    }

    private static ObjectNode patch(ObjectNode value) {
        ObjectNode body = JSON.createObjectNode();
        body.putArray("schemas").add(ScimClient.PATCH_OP);
        body.putArray("Operations").addObject().put("op", "replace").set("value", value);
        return body;
    }

    /**
     * What was sent decides who is where: each user not deleted is listed in the organization it was last placed
     * in, with its last role and state, and nowhere else; the deleted ones nowhere.
     */
    private static void assertSentChangesAreListed(java.util.Collection<User> users, Map<String, Map<String, Seen>> listed,
            String organization, String labs) {
        for (String org : List.of(organization, labs)) {
            Map<String, String> expected = new TreeMap<>();
            users.stream().filter(u -> !u.deleted && u.organization.equals(org))
                    .forEach(u -> expected.put(u.id, u.role + "/" + (u.active ? "active" : "deactivated")));
            Map<String, String> actual = new TreeMap<>();
            listed.get(org).forEach((id, seen) -> actual.put(id, seen.role() + "/" + seen.state()));
            assertEquals(expected, actual, org + " as the changes sent made it");
        }
        long deleted = users.stream().filter(u -> u.deleted).count();
        long deactivated = users.stream().filter(u -> !u.deleted && !u.active).count();
        long inLabs = listed.get(labs).size();
        System.out.printf("[rebuild] %d users: %d deleted, %d deactivated, %d listed in %s, %d in %s%n", users.size(),
                deleted, deactivated, listed.get(organization).size(), organization, inLabs, labs);
        assertTrue(deleted > 500 && deactivated > 300 && inLabs > 300 && listed.get(organization).size() > 1_000,
                "the changes deleted, deactivated and moved many members");
    }

    /** An organization's members as the admin API lists them, page by page, by member id (the SCIM id). */
    private static Map<String, Seen> adminApiMembers(String organization, Map<String, User> byId) throws Exception {
        Map<String, String> idOf = new HashMap<>();
        byId.forEach((id, user) -> idOf.put(user.userName, id));
        Map<String, Seen> members = new TreeMap<>();
        for (int startIndex = 1; ; startIndex += 1_000) {
            JsonNode page = NewTenant.admin("GET", "/organizations/" + organization + "/members?count=1000&startIndex="
                    + startIndex, null);
            for (JsonNode member : page.path("members")) {
                String id = idOf.get(member.path("email").asText());
                assertTrue(id != null, "a member no IdP of the test provisioned: " + member);
                members.put(id, new Seen(member.path("role").asText(), member.path("state").asText(),
                        member.path("source").asText(), teams(member.path("teams"))));
            }
            if (startIndex + 1_000 > page.path("totalResults").asLong()) {
                return members;
            }
        }
    }

    /** A consumer of no group, on every partition of {@code membership.state}, at its beginning. */
    private static KafkaConsumer<String, byte[]> fromTheBeginning() {
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedStack.kafkaBootstrapServers(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false"), new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(Topics.MEMBERSHIP_STATE).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        return consumer;
    }

    /** Reads to the topic's present end: the latest record of each key, a tombstone dropping the key. */
    private static void readToTheEnd(KafkaConsumer<String, byte[]> consumer, Map<String, MemberStateRecord> held) {
        Map<TopicPartition, Long> end = consumer.endOffsets(consumer.assignment());
        while (end.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
            for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                if (record.value() == null) {
                    held.remove(record.key());
                } else {
                    held.put(record.key(), ContractJson.read(record.value(), MemberStateRecord.class));
                }
            }
        }
    }

    /** The two organizations as the records held say, by member id, each record checked against its key. */
    private static Map<String, Map<String, Seen>> rebuilt(java.util.Collection<MemberStateRecord> held,
            Map<String, User> byId, String organization, String labs) {
        Map<String, Map<String, Seen>> organizations = new TreeMap<>();
        organizations.put(organization, new TreeMap<>());
        organizations.put(labs, new TreeMap<>());
        for (MemberStateRecord state : held) {
            Map<String, Seen> members = organizations.get(state.organization());
            if (members == null) {
                continue;
            }
            User user = byId.get(state.memberId());
            assertTrue(user != null && user.userName.equals(state.userName()), "the member id is the user's SCIM id: "
                    + state);
            members.put(state.memberId(), new Seen(state.role(), state.state(), state.source(),
                    state.teams().stream().sorted().toList()));
        }
        return organizations;
    }

    private static List<String> teams(JsonNode teams) {
        List<String> names = new ArrayList<>();
        teams.forEach(team -> names.add(team.asText()));
        names.sort(null);
        return names;
    }
}
