package dev.scimsync.gateway.api;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.scimsync.contracts.CommandFailure;
import dev.scimsync.contracts.CommandOutcome;
import dev.scimsync.contracts.ContractJson;
import dev.scimsync.contracts.GroupCommand;
import dev.scimsync.contracts.ScimCredential;
import dev.scimsync.contracts.ScimTokens;
import dev.scimsync.contracts.ScopedAdminTokens;
import dev.scimsync.contracts.Topics;
import dev.scimsync.contracts.TroubleshootingReport;
import dev.scimsync.contracts.UserCommand;
import dev.scimsync.contracts.UserSnapshot;
import dev.scimsync.contracts.query.ResourceQuery;
import dev.scimsync.contracts.query.UserNameLookups;
import dev.scimsync.contracts.query.UserPage;
import dev.scimsync.testsupport.InfrastructureTestResource;
import dev.scimsync.testsupport.TestServiceTokens;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The gateway's tests run against the real broker; membership-service is played by this resource: the SCIM
 * credentials of {@link #TOKEN}, {@link #OTHER_TOKEN} and {@link #DISABLED_TOKEN} on scim.credentials (published
 * before the gateway starts, as membership-service's outbox would), its internal HTTP API (token checks for
 * tokens not on the topic - {@link #FRESH_TOKEN} - reads, committed outcomes) and a consumer that answers user
 * commands the instant they arrive. userName prefixes pick its behaviour: {@code silent-} commits without
 * publishing the outcome, {@code lost-} neither commits nor answers, {@code adopted-} answers with an existing
 * account (version 2). group-sync-service is played by
 * {@link FakeGroupSync}, whose group commands the same consumer answers. Both refuse an internal call without the
 * gateway's token (401), as the real services do, so every gateway test also proves the gateway sends it. The real services are covered by
 * their own tests and by the end-to-end test.
 */
public class GatewayTestInfrastructure extends InfrastructureTestResource {

    static final String CONNECTION_ID = "5b0c3c2e-8f5e-4c55-9d55-2f1f3f0d6a11";
    public static final String TOKEN = "scim_aaaaaaaaaaaa_good-secret-0123456789abcdef";
    public static final String DISABLED_TOKEN = "scim_bbbbbbbbbbbb_good-secret-0123456789abcdef";
    static final String DISABLED_CONNECTION_ID = "9e8d7c6b-5a49-4382-9170-f1e2d3c4b5a6";
    /** A second enabled connection, for what one tenant must not do to another. */
    public static final String OTHER_TOKEN = "scim_cccccccccccc_good-secret-0123456789abcdef";
    public static final String OTHER_CONNECTION_ID = "0c6d0f4e-1a2b-4c3d-8e9f-a0b1c2d3e4f5";
    /** Known to membership-service but not (yet) on scim.credentials: a token issued a moment ago. */
    public static final String FRESH_TOKEN = "scim_dddddddddddd_good-secret-0123456789abcdef";
    /** Two more tokens issued a moment ago (not on scim.credentials) for test-sso, each first used for a write. */
    public static final String FRESH_CREATE_TOKEN = "scim_d1d1d1d1d1d1_good-secret-0123456789abcdef";
    public static final String FRESH_BULK_TOKEN = "scim_d2d2d2d2d2d2_good-secret-0123456789abcdef";
    static final String ADMIN_TOKEN = "test-admin-token";
    /** The SCIM token the fake membership-service answers an issue with. */
    /** On scim.credentials like {@link #TOKEN}; membership-service revokes it (204) but its record never follows. */
    public static final String REVOCABLE_TOKEN = "scim_ffffffffffff_good-secret-0123456789abcdef";
    public static final String ISSUED_TOKEN = "scim_eeeeeeeeeeee_issued-secret-0123456789abcdef";
    /** An admin token of test-org (test-sso is its connection alone; other-sso is other-org's). */
    public static final String SCOPED_TOKEN = "orgadm_0a0a0a0a0a0a_scoped-secret-0123456789abcdef";
    /** Another admin token of test-org, which a test revokes. */
    public static final String REVOCABLE_SCOPED_TOKEN = "orgadm_0b0b0b0b0b0b_scoped-secret-0123456789abcdef";
    /** How many times the gateway asked membership-service to verify a token. */
    public static final java.util.concurrent.atomic.AtomicInteger TOKEN_CHECKS =
            new java.util.concurrent.atomic.AtomicInteger();
    /** The troubleshooting reports the gateway sent, in the order sent. */
    public static final java.util.List<TroubleshootingReport> TROUBLESHOOTING_REPORTS =
            new java.util.concurrent.CopyOnWriteArrayList<>();
    /** The ids of the tokens the gateway reported as used, in the order reported. */
    public static final java.util.List<String> REPORTED_USE = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** The size of each call for userName lookups membership-service was asked to answer together. */
    public static final java.util.List<Integer> USER_NAME_LOOKUP_CALLS = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** A filter comparing with this value is answered as a query membership-service cancelled for its time. */
    static final String COSTLY_QUERY_CANCELLED = "costly-query-cancelled";
    /** A filter comparing with this value is answered as a query membership-service had no turn for. */
    static final String COSTLY_QUERY_REFUSED = "costly-query-refused";
    /** The userName of every lookup in those calls, in the order asked. */
    public static final java.util.List<String> LOOKED_UP_USER_NAMES = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** The seat limits the gateway set on test-org ({@code PATCH organizations/test-org}), in order; null: none. */
    public static final java.util.List<Object> TEST_ORG_SEAT_CHANGES =
            java.util.Collections.synchronizedList(new java.util.ArrayList<>());
    /** test-org's members: 4, of whom 3 are active and hold a seat. */
    private static final int TEST_ORG_MEMBERS = 4;
    private static final int TEST_ORG_SEATS_USED = 3;

    /** The groups lookups ({@code POST .../users/groups}) the fake group-sync-service was asked since it started. */
    public static java.util.List<String> groupsLookups() {
        return groupSyncRequestsEndingWith("/users/groups");
    }

    /** The users' groups the gateway asked of the fake group-sync-service by userName, beside a lookup. */
    public static java.util.List<String> groupsByNameLookups() {
        return groupSyncRequestsEndingWith("/users/groups-by-user-name");
    }

    private static java.util.List<String> groupSyncRequestsEndingWith(String path) {
        return groupSyncRequests().stream().filter(request -> request.endsWith(path)).toList();
    }

    /** Every request the fake group-sync-service was asked since it started ({@code METHOD path?query}). */
    static java.util.List<String> groupSyncRequests() {
        return io.restassured.RestAssured.given().get(groupSyncUrl() + "/fake/requests").then().statusCode(200).extract()
                .jsonPath().getList("", String.class);
    }

    /** The fake group-sync-service's address, for its {@code /fake/...} switches. */
    static String groupSyncUrl() {
        return org.eclipse.microprofile.config.ConfigProvider.getConfig()
                .getValue("quarkus.rest-client.group-sync.url", String.class);
    }

    private final Map<String, UserSnapshot> users = new ConcurrentHashMap<>();
    /** The live scoped admin tokens by id: the digest of the secret, as membership-service keeps it. */
    private final Map<String, String> scopedTokens = new ConcurrentHashMap<>(Map.of(
            "0a0a0a0a0a0a", ScopedAdminTokens.parse(SCOPED_TOKEN).orElseThrow().check().secretDigest(),
            "0b0b0b0b0b0b", ScopedAdminTokens.parse(REVOCABLE_SCOPED_TOKEN).orElseThrow().check().secretDigest()));
    private final Map<String, CommandOutcome> committed = new ConcurrentHashMap<>();
    /** The connections as membership-service answers for them (directory and admin API alike), by name. */
    private static final Map<String, Map<String, Object>> CONNECTIONS = Map.of(
            "test-sso", connection(CONNECTION_ID, "test-sso", "test-org"),
            "other-sso", connection(OTHER_CONNECTION_ID, "other-sso", "other-org"));

    private static Map<String, Object> connection(String id, String name, String organization) {
        return Map.of("id", id, "name", name, "scimEnabled", true, "jitEnabled", false, "jitAdoption", false,
                "organizations", List.of(organization), "defaultOrganization", organization, "defaultRole", "member");
    }
    private final FakeGroupSync groupSync = new FakeGroupSync(users);
    private final AtomicBoolean running = new AtomicBoolean();
    private HttpServer http;
    private Thread responder;

    /**
     * Each exchange of a fake service on a pool thread, not on the server's one dispatcher thread: a flood of
     * gateway calls (RateLimitTest) once left calls unanswered until the gateway's 10 s timeout.
     */
    static void answerOnPoolThreads(HttpServer http) {
        // A thread per request being answered: a fake told to hold its answers (FakeGroupSync's stall) must not hold
        // the others back.
        http.setExecutor(java.util.concurrent.Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "fake-service-http");
            thread.setDaemon(true);
            return thread;
        }));
    }

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>(super.start());
        try {
            http = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
            answerOnPoolThreads(http);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        http.createContext("/internal/v1/", this::serve);
        http.createContext("/fake/users", this::createUsers);
        http.start();
        publishCredentials(config.get("kafka.bootstrap.servers"));
        running.set(true);
        responder = new Thread(() -> answerCommands(config.get("kafka.bootstrap.servers")), "fake-membership-responder");
        responder.start();
        config.put("quarkus.rest-client.membership.url", "http://localhost:" + http.getAddress().getPort());
        String groupSyncUrl = groupSync.start();
        config.put("quarkus.rest-client.group-sync.url", groupSyncUrl);
        config.put("admin.group-sync-url", groupSyncUrl);
        return config;
    }

    @Override
    public void stop() {
        running.set(false);
        if (responder != null) {
            try {
                responder.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (http != null) {
            http.stop(0);
        }
        groupSync.stop();
        super.stop();
    }

    /** The tokens' records, keyed by token id, as membership-service's outbox publishes them. */
    private static void publishCredentials(String bootstrapServers) {
        try (var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", bootstrapServers),
                new StringSerializer(), new ByteArraySerializer())) {
            for (ScimCredential credential : List.of(
                    credential(TOKEN, CONNECTION_ID, "test-sso", true),
                    credential(REVOCABLE_TOKEN, CONNECTION_ID, "test-sso", true),
                    credential(OTHER_TOKEN, OTHER_CONNECTION_ID, "other-sso", true),
                    credential(DISABLED_TOKEN, DISABLED_CONNECTION_ID, "disabled-sso", false))) {
                producer.send(new ProducerRecord<>(Topics.SCIM_CREDENTIALS, credential.tokenId(),
                        ContractJson.write(credential))).get();
            }
        } catch (Exception e) {
            throw new IllegalStateException("could not publish the test tokens", e);
        }
    }

    /** A live token's credential as membership-service stores it: a salted hash of its secret. */
    public static ScimCredential credential(String token, String connectionId, String connectionName,
            boolean scimEnabled) {
        var parsed = ScimTokens.parse(token).orElseThrow();
        byte[] salt = ScimTokens.newSalt();
        return new ScimCredential(parsed.id(), connectionId, connectionName, salt,
                ScimTokens.hash(salt, parsed.secret()), scimEnabled, false);
    }

    private void answerCommands(String bootstrapServers) {
        try (var consumer = new KafkaConsumer<>(Map.<String, Object>of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "fake-membership",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new ByteArrayDeserializer());
             var producer = new KafkaProducer<>(Map.<String, Object>of(
                     "bootstrap.servers", bootstrapServers, "linger.ms", 0), new StringSerializer(), new ByteArraySerializer())) {
            consumer.subscribe(java.util.List.of(Topics.USER_COMMANDS, Topics.GROUP_COMMANDS));
            while (running.get()) {
                for (var record : consumer.poll(Duration.ofMillis(100))) {
                    if (record.topic().equals(Topics.GROUP_COMMANDS)) {
                        GroupCommand command = ContractJson.read(record.value(), GroupCommand.class);
                        groupSync.apply(command).ifPresent(outcome -> producer.send(new ProducerRecord<>(
                                Topics.COMMAND_OUTCOMES, command.connectionId(), ContractJson.write(outcome))));
                        continue;
                    }
                    UserCommand command = ContractJson.read(record.value(), UserCommand.class);
                    if (command.type() != dev.scimsync.contracts.UserCommandType.CREATE) {
                        // Replace and delete, as membership-service answers them (the full rules run end to end).
                        CommandOutcome outcome = change(command);
                        committed.put(command.commandId().toString(), outcome);
                        producer.send(new ProducerRecord<>(Topics.COMMAND_OUTCOMES, command.connectionId(),
                                ContractJson.write(outcome)));
                        continue;
                    }
                    String userName = command.profile().userName().toLowerCase(Locale.ROOT);
                    if (userName.startsWith("lost-")) {
                        continue;
                    }
                    CommandOutcome outcome = apply(command, userName);
                    committed.put(command.commandId().toString(), outcome);
                    if (!userName.startsWith("silent-")) {
                        producer.send(new ProducerRecord<>(Topics.COMMAND_OUTCOMES, command.connectionId(),
                                ContractJson.write(outcome)));
                    }
                }
            }
        }
    }

    private CommandOutcome change(UserCommand command) {
        UserSnapshot current = users.get(command.userId());
        if (current == null) {
            return CommandOutcome.rejected(command.commandId(), command.connectionId(),
                    new CommandFailure(CommandFailure.Reason.NOT_FOUND, "User " + command.userId() + " not found"));
        }
        if (command.expectedVersion() != null && command.expectedVersion() != current.version()) {
            return CommandOutcome.rejected(command.commandId(), command.connectionId(), new CommandFailure(
                    CommandFailure.Reason.VERSION_MISMATCH, "User " + command.userId() + " is at another version"));
        }
        boolean deprovisions = command.type() == dev.scimsync.contracts.UserCommandType.DELETE
                || !command.profile().active() && current.profile().active();
        if (deprovisions && current.profile().userName().startsWith("guarded-")) {
            // A 'guarded-' user stands for a connection past its mass-deprovisioning threshold: held, not applied,
            // answered with the user as asked.
            return CommandOutcome.held(command.commandId(), command.connectionId(), command.profile() == null ? current
                    : new UserSnapshot(current.id(), current.connectionId(), command.profile(), current.version(),
                            current.created(), current.lastModified()),
                    command.type() == dev.scimsync.contracts.UserCommandType.DELETE);
        }
        if (command.type() == dev.scimsync.contracts.UserCommandType.DELETE) {
            users.remove(command.userId());
            return CommandOutcome.userDeleted(command.commandId(), command.connectionId(), current);
        }
        UserSnapshot replaced = new UserSnapshot(current.id(), current.connectionId(), command.profile(),
                current.version() + 1, current.created(), Instant.now().truncatedTo(ChronoUnit.MILLIS));
        users.put(current.id(), replaced);
        return CommandOutcome.applied(command.commandId(), command.connectionId(), replaced);
    }

    private CommandOutcome apply(UserCommand command, String userNameKey) {
        boolean taken = users.values().stream()
                .anyMatch(user -> user.profile().userName().toLowerCase(Locale.ROOT).equals(userNameKey));
        if (taken) {
            return CommandOutcome.rejected(command.commandId(), command.connectionId(),
                    new CommandFailure(CommandFailure.Reason.UNIQUENESS, "userName '" + command.profile().userName()
                            + "' is already taken in this connection"));
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        // An 'adopted-' user stands for an existing (JIT) account that the create took over: not at version 1.
        UserSnapshot user = new UserSnapshot(UUID.randomUUID().toString(), command.connectionId(), command.profile(),
                userNameKey.startsWith("adopted-") ? 2 : 1, now, now);
        users.put(user.id(), user);
        return CommandOutcome.applied(command.commandId(), command.connectionId(), user);
    }

    /**
     * {@code POST /fake/users?count=N}: N users of {@link #CONNECTION_ID} made at once, as if created over SCIM
     * before, answered with their ids - for groups with thousands of members.
     */
    private void createUsers(HttpExchange exchange) throws IOException {
        try (exchange) {
            int count = Integer.parseInt(exchange.getRequestURI().getQuery().replace("count=", ""));
            Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            List<String> ids = new java.util.ArrayList<>();
            for (int i = 0; i < count; i++) {
                String id = UUID.randomUUID().toString();
                users.put(id, new UserSnapshot(id, CONNECTION_ID, new dev.scimsync.contracts.UserProfile("bulk-" + id
                        + "@example.com", null, true, ContractJson.mapper().createObjectNode(), null), 1, now, now));
                ids.add(id);
            }
            json(exchange, 200, ids);
        }
    }

    private void serve(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String[] parts = path.split("/");
        try (exchange) {
            if (!fromTheGateway(exchange, "membership-service")) {
                json(exchange, 401, Map.of("status", 401, "detail", "service credentials required"));
            } else if (path.equals("/internal/v1/scim-tokens/verify")) {
                TOKEN_CHECKS.incrementAndGet();
                String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                // Every token it stores - the gateway asks for one it has not read from the topic yet.
                if (body.contains(TOKEN)) {
                    json(exchange, 200, Map.of("tokenId", "aaaaaaaaaaaa", "connectionId", CONNECTION_ID,
                            "connectionName", "test-sso", "scimEnabled", true));
                } else if (body.contains(OTHER_TOKEN)) {
                    json(exchange, 200, Map.of("tokenId", "cccccccccccc", "connectionId", OTHER_CONNECTION_ID,
                            "connectionName", "other-sso", "scimEnabled", true));
                } else if (body.contains(DISABLED_TOKEN)) {
                    json(exchange, 200, Map.of("tokenId", "bbbbbbbbbbbb", "connectionId", DISABLED_CONNECTION_ID,
                            "connectionName", "disabled-sso", "scimEnabled", false));
                } else if (body.contains(FRESH_TOKEN)) {
                    json(exchange, 200, Map.of("tokenId", "dddddddddddd", "connectionId", CONNECTION_ID,
                            "connectionName", "test-sso", "scimEnabled", true));
                } else if (body.contains(FRESH_CREATE_TOKEN) || body.contains(FRESH_BULK_TOKEN)) {
                    json(exchange, 200, Map.of("tokenId", body.contains(FRESH_CREATE_TOKEN) ? "d1d1d1d1d1d1"
                            : "d2d2d2d2d2d2", "connectionId", CONNECTION_ID, "connectionName", "test-sso",
                            "scimEnabled", true));
                } else {
                    json(exchange, 401, Map.of());
                }
            } else if (path.equals("/internal/v1/admin-tokens/verify")) {
                var check = ContractJson.read(exchange.getRequestBody().readAllBytes(), ScopedAdminTokens.Check.class);
                boolean live = check.secretDigest().equals(scopedTokens.get(check.tokenId()));
                json(exchange, live ? 200 : 401, live ? new ScopedAdminTokens.Verified(check.tokenId(), "test-org")
                        : Map.of());
            } else if (path.startsWith("/internal/v1/admin/organizations/test-org/admin-tokens/")
                    && exchange.getRequestMethod().equals("DELETE")) {
                exchange.sendResponseHeaders(scopedTokens.remove(parts[7]) != null ? 204 : 404, -1);
            } else if (path.equals("/internal/v1/admin/organizations/test-org/admin-tokens")) {
                json(exchange, 200, scopedTokens.keySet().stream().sorted().map(id -> Map.of("id", id)).toList());
            } else if (path.equals("/internal/v1/admin/connections") && exchange.getRequestMethod().equals("GET")) {
                // As membership-service narrows it: organization=<org> lists the connections of that one alone.
                String query = exchange.getRequestURI().getRawQuery();
                json(exchange, 200, CONNECTIONS.values().stream().filter(connection -> query == null
                        || connection.get("organizations").equals(List.of(query.substring("organization=".length()))))
                        .toList());
            } else if (path.equals("/internal/v1/admin/organizations") && exchange.getRequestMethod().equals("GET")) {
                String query = exchange.getRequestURI().getRawQuery();
                json(exchange, 200, List.of("test-org", "other-org").stream()
                        .filter(name -> query == null || query.equals("organization=" + name))
                        .map(name -> {
                            Map<String, Object> organization = new HashMap<>(Map.of("id", UUID.nameUUIDFromBytes(
                                    name.getBytes(StandardCharsets.UTF_8)).toString(), "name", name, "members", 0));
                            organization.put("seats", null);
                            return organization;
                        }).toList());
            } else if (path.matches("/internal/v1/admin/connections/(test|other)-sso")
                    && exchange.getRequestMethod().equals("GET")) {
                json(exchange, 200, CONNECTIONS.get(parts[5]));
            } else if (path.matches("/internal/v1/admin/organizations/(test|other)-org/members")) {
                json(exchange, 200, Map.of("members", List.of(), "totalResults", 0));
            } else if (path.startsWith("/internal/v1/connections/") && parts.length == 5
                    && CONNECTIONS.values().stream().anyMatch(connection -> connection.get("id").equals(parts[4]))) {
                json(exchange, 200, CONNECTIONS.values().stream()
                        .filter(connection -> connection.get("id").equals(parts[4])).findFirst().orElseThrow());
            } else if (path.startsWith("/internal/v1/connections/") && parts.length == 5
                    && CONNECTIONS.containsKey(parts[4])) {
                json(exchange, 200, CONNECTIONS.get(parts[4]));
            } else if (path.equals("/internal/v1/troubleshooting/reports")) {
                TROUBLESHOOTING_REPORTS.add(ContractJson.read(exchange.getRequestBody().readAllBytes(),
                        TroubleshootingReport.class));
                exchange.sendResponseHeaders(204, -1);
            } else if (path.matches("/internal/v1/admin/connections/(test|other)-sso/troubleshooting")) {
                json(exchange, 200, troubleshooting(CONNECTIONS.get(parts[5]).get("id").toString()));
            } else if (path.equals("/internal/v1/admin/failed-authentications")) {
                json(exchange, 200, TROUBLESHOOTING_REPORTS.stream().flatMap(report -> report.unattributed().stream())
                        .map(failures -> Map.of("reason", failures.reason(), "count", failures.count(),
                                "firstSeen", failures.firstSeen(), "lastSeen", failures.lastSeen(),
                                "suggestedFix", "fix the IdP's token (" + failures.reason() + ")"))
                        .toList());
            } else if (path.equals("/internal/v1/scim-tokens/used")) {
                ContractJson.mapper().readTree(exchange.getRequestBody().readAllBytes()).path("tokenIds")
                        .forEach(id -> REPORTED_USE.add(id.asText()));
                exchange.sendResponseHeaders(204, -1);
            } else if (path.equals("/internal/v1/user-name-lookups")) {
                // As membership-service answers them: each lookup from its own connection's users, ignoring case.
                UserNameLookups lookups = ContractJson.read(exchange.getRequestBody().readAllBytes(), UserNameLookups.class);
                List<UserNameLookups.Found> found = new ArrayList<>();
                for (int i = 0; i < lookups.lookups().size(); i++) {
                    UserNameLookups.Lookup lookup = lookups.lookups().get(i);
                    LOOKED_UP_USER_NAMES.add(lookup.userName());
                    int index = i;
                    users.values().stream().filter(user -> user.connectionId().equals(lookup.connectionId())
                                    && user.profile().userName().equalsIgnoreCase(lookup.userName()))
                            .findFirst().ifPresent(user -> found.add(new UserNameLookups.Found(index, user)));
                }
                USER_NAME_LOOKUP_CALLS.add(lookups.lookups().size());
                json(exchange, 200, new UserNameLookups.Answer(found));
            } else if (path.matches("/internal/v1/connections/[^/]+/users/query")) {
                // Filters run in membership-service; here a query pages the connection's users in the default order.
                ResourceQuery query = ContractJson.read(exchange.getRequestBody().readAllBytes(), ResourceQuery.class);
                // membership-service's answers to a costly query it cancelled (422) or had no turn for (429).
                Object compared = query.filter() instanceof dev.scimsync.contracts.query.Criterion.Compare compare
                        ? compare.value() : null;
                if (COSTLY_QUERY_CANCELLED.equals(compared) || COSTLY_QUERY_REFUSED.equals(compared)) {
                    int status = COSTLY_QUERY_CANCELLED.equals(compared) ? 422 : 429;
                    json(exchange, status, new dev.scimsync.contracts.internal.Problem(status, status == 422
                            ? "the query took longer than 3000 ms, the most a query may take"
                            : "as many costly queries as this service runs at once are running and waiting"));
                    return;
                }
                var matching = users.values().stream().filter(user -> user.connectionId().equals(parts[4]))
                        .sorted(java.util.Comparator.comparing(UserSnapshot::created).thenComparing(UserSnapshot::id))
                        .toList();
                var read = matching.stream()
                        .filter(user -> query.after() == null || isAfter(user.created(), user.id(), query.after()))
                        .skip(query.startIndex() - 1L).limit(query.count() + 1L).toList();
                json(exchange, 200, new UserPage(matching.size(), read.stream().limit(query.count()).toList(),
                        read.size() > query.count()));
            } else if (path.startsWith("/internal/v1/connections/") && parts.length == 7) {
                UserSnapshot user = users.get(parts[6]);
                boolean visible = user != null && user.connectionId().equals(parts[4]);
                json(exchange, visible ? 200 : 404, visible ? user : Map.of());
            } else if (path.startsWith("/internal/v1/commands/") && parts.length == 5) {
                CommandOutcome outcome = committed.get(parts[4]);
                json(exchange, outcome != null ? 200 : 404, outcome != null ? outcome : Map.of());
            } else if (path.equals("/internal/v1/admin/connections/test-sso/scim-tokens")
                    && exchange.getRequestMethod().equals("POST")) {
                // The new token is in the body only: the audit record of its issue must not carry it.
                json(exchange, 201, Map.of("id", "eeeeeeeeeeee", "token", ISSUED_TOKEN, "createdAt", Instant.now()));
            } else if (path.equals("/internal/v1/admin/connections/test-sso/scim-tokens/ffffffffffff")
                    && exchange.getRequestMethod().equals("DELETE")) {
                exchange.sendResponseHeaders(204, -1);
            } else if (path.equals("/internal/v1/admin/connections") && exchange.getRequestMethod().equals("POST")) {
                exchange.getResponseHeaders().add("Location", "http://localhost:" + http.getAddress().getPort()
                        + "/internal/v1/admin/connections/test-sso");
                json(exchange, 201, Map.of("id", CONNECTION_ID, "name", "test-sso"));
            } else if (path.equals("/internal/v1/admin/organizations/test-org")) {
                if (exchange.getRequestMethod().equals("PATCH")) {
                    var seats = ContractJson.mapper().readTree(exchange.getRequestBody().readAllBytes()).get("seats");
                    TEST_ORG_SEAT_CHANGES.add(seats.isNull() ? null : seats.intValue());
                }
                Map<String, Object> organization = new HashMap<>(Map.of("id", UUID.randomUUID().toString(),
                        "name", "test-org", "members", TEST_ORG_MEMBERS, "seatsUsed", TEST_ORG_SEATS_USED));
                synchronized (TEST_ORG_SEAT_CHANGES) {
                    organization.put("seats", TEST_ORG_SEAT_CHANGES.isEmpty() ? null
                            : TEST_ORG_SEAT_CHANGES.get(TEST_ORG_SEAT_CHANGES.size() - 1));
                }
                json(exchange, 200, organization);
            } else {
                json(exchange, 404, Map.of());
            }
        }
    }

    /**
     * A connection's troubleshooting as membership-service answers it, from the reports received: one entry per
     * report line here (membership-service sums them; its own test shows that).
     */
    private static Map<String, Object> troubleshooting(String connectionId) {
        return Map.of("unknownAttributes", TROUBLESHOOTING_REPORTS.stream()
                        .flatMap(report -> report.unknownAttributes().stream())
                        .filter(unknown -> unknown.connectionId().equals(connectionId))
                        .map(unknown -> Map.of("resourceType", unknown.resourceType(), "name", unknown.name(),
                                "kind", unknown.kind(), "count", unknown.count(), "firstSeen", unknown.firstSeen(),
                                "lastSeen", unknown.lastSeen(), "suggestedFix", "remove the mapping of " + unknown.name()))
                        .toList(),
                "failedAuthentications", TROUBLESHOOTING_REPORTS.stream()
                        .flatMap(report -> report.failedAuthentications().stream())
                        .filter(failures -> failures.connectionId().equals(connectionId))
                        .map(failures -> Map.of("tokenId", failures.tokenId(), "tokenState", "live",
                                "count", failures.count(), "firstSeen", failures.firstSeen(),
                                "lastSeen", failures.lastSeen(), "suggestedFix", "issue a new token"))
                        .toList());
    }

    /** Whether a resource comes after the key in the default order (ids compare as PostgreSQL's uuids: as text). */
    static boolean isAfter(Instant created, String id, dev.scimsync.contracts.query.Keyset key) {
        int byCreation = created.compareTo(key.created());
        return byCreation > 0 || byCreation == 0 && id.compareTo(key.id().toString()) > 0;
    }

    /** As the real services: an internal call must bring the gateway's token for that service. */
    static boolean fromTheGateway(HttpExchange exchange, String service) {
        return TestServiceTokens.verifiedCaller(exchange.getRequestHeaders().getFirst("Authorization"), service)
                .filter("scim-gateway"::equals).isPresent();
    }

    static void json(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] bytes = ContractJson.write(body);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }
}
