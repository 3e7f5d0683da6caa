package dev.scimsync.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.scimsync.contracts.CommandOutcome;
import dev.scimsync.contracts.ContractJson;
import dev.scimsync.contracts.GroupCommand;
import dev.scimsync.contracts.Topics;
import dev.scimsync.contracts.UserCommand;
import dev.scimsync.stack.DatabaseServer;
import dev.scimsync.stack.LocalStack;
import dev.scimsync.testsupport.DatabaseOutage;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;

/**
 * Faults during a sync (run with {@code mvn -pl e2e-tests verify -Pfaults}; results in docs/reliability.md).
 * IdP clients retry the Okta way: on 503/504 after Retry-After, on connection errors after a pause, and a 409
 * after an unanswered attempt means the attempt landed.
 *
 * <p>Crashes: 16 clients create 20,000 users while every service in turn is killed with SIGKILL and
 * restarted, then the Kafka broker, then PostgreSQL is crashed (immediate shutdown) and restarted.
 * Afterwards: every user exists exactly once, no user exists that was never answered 201 or found after a
 * retry, every user's {@code member.created} event arrived, and no request hung past the gateway's outcome
 * timeout.
 *
 * <p>Outages: 8 clients create 2,000 users ({@code -Dfaults.outage.users}), push every second one into a
 * team's group and deactivate every fifth, while each service's database in turn refuses connections for 60 s
 * ({@code -Dfaults.outage.seconds}; membership, groupsync, audit), then the Kafka broker is down as long. Afterwards: every acknowledged write is there exactly once, teams
 * hold the active pushed members and no deactivated user, the audit log holds every command, outcome and
 * event of the connection that reached Kafka (each once, every command with its outcome, the chain intact),
 * every member and team event was published, nothing was dead-lettered, and no request hung.
 */
class FaultInjectionIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int USERS = Integer.getInteger("faults.users", 20_000);
    private static final int CLIENTS = Integer.getInteger("faults.clients", 16);
    /**
     * The gateway answers within scim.outcome-timeout (10 s) plus its bounded checks (a 3 s token check, a 2 s
     * outcome check), plus 5 s for a machine whose 2 cores are busy restarting JVMs: anything slower is a
     * hang (what this catches is an unbounded wait: a 60 s producer block, a 30 s read timeout).
     */
    private static final Duration HANG = Duration.ofSeconds(20);
    private static final List<String> FAULTS = List.of("scim-gateway", "membership-service", "group-sync-service",
            "audit-service", "kafka", "postgresql");
    private static final int ATTEMPTS = 30;
    /** Statuses after which an IdP does not know whether its write happened, and sends it again. */
    private static final Set<Integer> UNANSWERED = Set.of(0, -1, 503, 504);

    private static final int OUTAGE_USERS = Integer.getInteger("faults.outage.users", 2_000);
    private static final int OUTAGE_CLIENTS = 8;
    private static final Duration OUTAGE = Duration.ofSeconds(Integer.getInteger("faults.outage.seconds", 60));
    /** Before the first outage, between two and after the last: the stack recovers, the IdP catches up. */
    private static final Duration BETWEEN_OUTAGES = Duration.ofSeconds(20);
    /** How far the sync may run over its plan before the IdP starts no more users (a run that fails, ends). */
    private static final Duration OVERRUN = Duration.ofMinutes(10);
    /** How long the services may take, once the IdP is done, to apply, record and publish what it was answered. */
    private static final Duration CATCH_UP = Duration.ofMinutes(10);
    private static final Duration READY_AGAIN = Duration.ofMinutes(3);
    private static final List<String> TEAMS = List.of("team-a", "team-b", "team-c");
    private static final String CORE_GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";
    private static final String DEACTIVATE = "{\"schemas\":[\"" + ScimClient.PATCH_OP + "\"],\"Operations\":"
            + "[{\"op\":\"replace\",\"value\":{\"active\":false}}]}";
    private static final String MEMBER_CREATED = "dev.scimsync.membership.member.created.v1";
    private static final String MEMBER_DEACTIVATED = "dev.scimsync.membership.member.deactivated.v1";
    private static final String TEAM_MEMBER_ADDED = "dev.scimsync.team.member.added.v1";
    private static final String TEAM_MEMBER_REMOVED = "dev.scimsync.team.member.removed.v1";

    /**
     * One outage: of a service's database ({@code database} on the stack's PostgreSQL) or, without one, of the
     * Kafka broker; {@code services} are those whose readiness depends on it.
     */
    private record Outage(String what, String database, List<String> services) {
        String how() {
            return database == null ? "SIGKILL, restarted when the outage ends"
                    : "refuses connections, sessions cut (`DatabaseOutage`)";
        }
    }

    private static final List<Outage> OUTAGES = List.of(
            new Outage("membership database", "membership", List.of("membership-service")),
            new Outage("groupsync database", "groupsync", List.of("group-sync-service")),
            new Outage("audit database", "audit", List.of("audit-service")),
            new Outage("Kafka broker", null, List.of("scim-gateway", "membership-service", "group-sync-service",
                    "audit-service")));

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(3)).build();
    private final Map<String, AtomicLong> answers = new ConcurrentHashMap<>();
    private final AtomicLong retryAfterMissing = new AtomicLong();
    private final AtomicLong hangs = new AtomicLong();
    /** When each slow request started and how long it took, in seconds from the start of the run. */
    private final List<String> slowRequests = java.util.Collections.synchronizedList(new ArrayList<>());
    private volatile long runStartedNanos;
    private final AtomicLong slowest = new AtomicLong();
    private final Map<String, String> created = new ConcurrentHashMap<>();        // userName -> id
    private final Set<String> landedAfterRetry = ConcurrentHashMap.newKeySet();   // 409 after an unanswered try
    private final Set<String> unexpectedConflicts = ConcurrentHashMap.newKeySet();
    private final Set<String> gaveUp = ConcurrentHashMap.newKeySet();
    private final Set<String> notStarted = ConcurrentHashMap.newKeySet();        // past the outage run's deadline
    private final AtomicInteger done = new AtomicInteger();
    private final AtomicLong acknowledgedWrites = new AtomicLong();
    private final Set<String> deactivated = ConcurrentHashMap.newKeySet();        // ids
    private final Map<String, String> pushedTo = new ConcurrentHashMap<>();       // id -> team
    /** Deactivations, pushes and look-ups refused or given up on, with the answer. */
    private final List<String> unacknowledged = java.util.Collections.synchronizedList(new ArrayList<>());

    @Test
    void anInitialSyncSurvivesEveryProcessBeingKilled() throws Exception {
        String organization = "faults-" + UUID.randomUUID().toString().substring(0, 6);
        String token = NewTenant.scimToken(organization);
        String connectionId = NewTenant.admin("GET", "/connections/" + organization + "-sso", null).path("id").asText();
        Instant started = Instant.now();
        runStartedNanos = System.nanoTime();
        URI usersEndpoint = URI.create(SharedStack.endpoints().scimBaseUrl() + "/Users");

        Thread[] clients = new Thread[CLIENTS];
        AtomicInteger next = new AtomicInteger();
        for (int c = 0; c < CLIENTS; c++) {
            clients[c] = new Thread(() -> {
                for (int i = next.getAndIncrement(); i < USERS; i = next.getAndIncrement()) {
                    provision(usersEndpoint, token, "user" + i + "@" + organization + ".test");
                    done.incrementAndGet();
                }
            }, "idp-" + c);
            clients[c].start();
        }
        List<String> faultLog = new ArrayList<>();
        for (int f = 0; f < FAULTS.size(); f++) {
            int due = USERS * (f + 1) / (FAULTS.size() + 2);
            while (done.get() < due && SyncRuns.anyAlive(clients)) {
                Thread.sleep(100);
            }
            String fault = FAULTS.get(f);
            long began = System.nanoTime();
            double at = (began - runStartedNanos) / 1e9;
            switch (fault) {
                case "kafka" -> SharedStack.crashAndRestartKafka();
                case "postgresql" -> SharedStack.crashAndRestartPostgres();
                default -> SharedStack.crashAndRestart(fault);
            }
            faultLog.add(String.format("| %s | %s | %d | %.1f s | %.1f s |", fault, fault.equals("postgresql")
                    ? "immediate shutdown (crash) + restart" : "SIGKILL + restart", due, at,
                    (System.nanoTime() - began) / 1e9));
        }
        for (Thread client : clients) {
            client.join();
        }
        Duration syncTime = Duration.between(started, Instant.now());

        // What the IdP believes exists, against what does.
        StoredUsers stored = storedUsers(token, organization, USERS);

        // Every stored user's creation event, read as a consuming service would (deduplicated by ce_id).
        EventTally events = createdEvents(connectionId, stored.ids());

        String report = String.join("\n",
                "## Fault injection run: " + USERS + " users, " + CLIENTS + " clients, " + syncTime.toSeconds() + " s",
                "",
                "| fault | how | after user | at | back in |",
                "|---|---|---|---|---|",
                String.join("\n", faultLog),
                "",
                "| check | count |",
                "|---|---|",
                "| users the IdP provisioned (201, or 409 after an unanswered attempt) | " + (created.size() + landedAfterRetry.size()) + " |",
                "| of which found after a retry (the first attempt landed, its answer was lost) | " + landedAfterRetry.size() + " |",
                "| users stored | " + stored.byUserName().size() + " |",
                "| users stored twice or more | " + stored.duplicates() + " |",
                "| users the IdP provisioned that are missing | " + stored.missing().size() + " |",
                "| users stored that the IdP never provisioned | " + stored.unexplained().size() + " |",
                "| 201 answers whose id is not the stored user's | " + stored.wrongIds() + " |",
                "| 409 without an earlier unanswered attempt | " + unexpectedConflicts.size() + " |",
                "| users given up on (" + ATTEMPTS + " attempts) | " + gaveUp.size() + " |",
                "| member.created events (distinct ce_id) for stored users | " + events.distinct + " |",
                "| stored users without their member.created event | " + events.missing + " |",
                "| events delivered more than once (same ce_id) | " + events.redelivered + " |",
                "| requests slower than " + HANG.toSeconds() + " s (hangs) | " + hangs.get() + " |",
                "| slowest answer | " + slowest.get() + " ms |",
                "| slow requests (started at, took, answer; seconds from the start) | " + slowRequests + " |",
                "| 503/504 without Retry-After | " + retryAfterMissing.get() + " |",
                "| answers by status | " + new java.util.TreeMap<>(answers) + " |");
        System.out.println(report);
        Path out = Path.of("target", "fault-injection.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report + "\n");

        assertEquals(0, stored.duplicates(), report);
        assertEquals(Set.of(), stored.missing(), report);
        assertEquals(Set.of(), stored.unexplained(), report);
        assertEquals(0, stored.wrongIds(), report);
        assertEquals(Set.of(), unexpectedConflicts, report);
        assertEquals(Set.of(), gaveUp, report);
        assertEquals(0, events.missing, report);
        assertEquals(0, hangs.get(), report);
        assertEquals(0, retryAfterMissing.get(), report);
    }

    @Test
    void aSyncWithDeactivationsAndGroupPushesLosesNothingWhileEachDatabaseAndKafkaAreAway() throws Exception {
        String organization = "outages-" + UUID.randomUUID().toString().substring(0, 6);
        String token = NewTenant.scimToken(organization);
        // 400 deactivations: the guard would hold them (acknowledged all the same); this run checks outages.
        NewTenant.withoutMassDeprovisioningGuard(organization + "-sso");
        String connectionId = NewTenant.admin("GET", "/connections/" + organization + "-sso", null).path("id").asText();
        String scimBaseUrl = SharedStack.endpoints().scimBaseUrl();
        URI usersEndpoint = URI.create(scimBaseUrl + "/Users");
        Map<String, String> groupOfTeam = new HashMap<>();
        for (String team : TEAMS) {
            HttpResponse<String> group = untilAcknowledged("group " + team, scimRequest(scimBaseUrl + "/Groups", token)
                    .POST(HttpRequest.BodyPublishers.ofString("{\"schemas\":[\"" + CORE_GROUP + "\"],\"displayName\":\""
                            + organization + ":" + team + "\",\"members\":[]}")).build(), Set.of(201));
            assertNotNull(group, unacknowledged.toString());
            groupOfTeam.put(team, id(group.body()));
        }
        Instant started = Instant.now();
        runStartedNanos = System.nanoTime();
        // The IdP's pace spreads the users over the outages and the time between them: a sync that ran at the
        // stack's full speed would be over during the audit database's outage, which holds no IdP request up.
        Duration plannedSync = BETWEEN_OUTAGES.plus(OUTAGE.plus(BETWEEN_OUTAGES).multipliedBy(OUTAGES.size()));
        long spacingNanos = plannedSync.toNanos() / OUTAGE_USERS;
        long deadline = runStartedNanos + plannedSync.plus(OVERRUN).toNanos();

        Thread[] clients = new Thread[OUTAGE_CLIENTS];
        AtomicInteger next = new AtomicInteger();
        for (int c = 0; c < OUTAGE_CLIENTS; c++) {
            clients[c] = new Thread(() -> {
                try {
                    for (int i = next.getAndIncrement(); i < OUTAGE_USERS; i = next.getAndIncrement()) {
                        TimeUnit.NANOSECONDS.sleep(runStartedNanos + i * spacingNanos - System.nanoTime());
                        if (System.nanoTime() > deadline) {
                            notStarted.add("user" + i + "@" + organization + ".test");
                            continue;
                        }
                        syncUser(i, organization, scimBaseUrl, usersEndpoint, token, groupOfTeam);
                        done.incrementAndGet();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "idp-" + c);
            clients[c].start();
        }
        DatabaseServer databases = SharedStack.database();
        List<String> outageLog = new ArrayList<>();
        for (int o = 0; o < OUTAGES.size(); o++) {
            Outage outage = OUTAGES.get(o);
            TimeUnit.NANOSECONDS.sleep(runStartedNanos + BETWEEN_OUTAGES.plus(OUTAGE.plus(BETWEEN_OUTAGES)
                    .multipliedBy(o)).toNanos() - System.nanoTime());
            long acknowledgedBefore = acknowledgedWrites.get();
            int usersBefore = done.get();
            long began = System.nanoTime();
            if (outage.database() == null) {
                SharedStack.crashKafkaFor(OUTAGE);
            } else {
                try (DatabaseOutage away = DatabaseOutage.begin(databases.jdbcUrl(outage.database()), databases.user(),
                        databases.password())) {
                    Thread.sleep(OUTAGE.toMillis());
                }
            }
            long ended = System.nanoTime();
            long acknowledgedMeanwhile = acknowledgedWrites.get() - acknowledgedBefore;
            outageLog.add(String.format("| %s | %s | %d | %.1f s | %.1f s | %d | %s |", outage.what(), outage.how(),
                    usersBefore, (began - runStartedNanos) / 1e9, (ended - began) / 1e9, acknowledgedMeanwhile,
                    readyAgainAfter(outage.services())));
        }
        for (Thread client : clients) {
            client.join();
        }
        Duration syncTime = Duration.between(started, Instant.now());

        // The writes the IdP was answered for: final once its clients are done.
        StoredUsers stored = storedUsers(token, organization, OUTAGE_USERS);
        Set<String> inactive = new HashSet<>();
        stored.byUserName().values().forEach(users -> users.stream().filter(user -> !user.path("active").asBoolean())
                .forEach(user -> inactive.add(user.path("id").asText())));
        Map<String, Set<String>> groupMembers = new HashMap<>();
        for (String team : TEAMS) {
            Set<String> members = new HashSet<>();
            scimGet(scimBaseUrl + "/Groups/" + groupOfTeam.get(team) + "?attributes=members", token).path("members")
                    .forEach(member -> members.add(member.path("value").asText()));
            groupMembers.put(team, members);
        }
        long pushesMissing = pushedTo.entrySet().stream()
                .filter(push -> !groupMembers.get(push.getValue()).contains(push.getKey())).count();
        long membersNeverPushed = groupMembers.entrySet().stream().mapToLong(group -> group.getValue().stream()
                .filter(member -> !group.getKey().equals(pushedTo.get(member))).count()).sum();
        List<Check> writes = List.of(
                Check.info("users the IdP provisioned (201, or 409 after an unanswered attempt)",
                        created.size() + landedAfterRetry.size()),
                Check.info("of which found after a retry (the first attempt landed, its answer was lost)",
                        landedAfterRetry.size()),
                Check.info("users stored", stored.byUserName().size()),
                Check.zero("users stored twice or more", stored.duplicates()),
                Check.zero("users the IdP provisioned that are missing", stored.missing().size()),
                Check.zero("users stored that the IdP never provisioned", stored.unexplained().size()),
                Check.zero("`201` answers whose id is not the stored user's", stored.wrongIds()),
                Check.zero("`409` without an earlier unanswered attempt", unexpectedConflicts.size()),
                Check.zero("users given up on (" + ATTEMPTS + " attempts)", gaveUp.size()),
                Check.zero("users not started, the sync being " + OVERRUN.toMinutes() + " min behind its plan",
                        notStarted.size()),
                Check.info("deactivations acknowledged", deactivated.size()),
                Check.zero("acknowledged deactivations not applied (user still active)",
                        deactivated.stream().filter(id -> !inactive.contains(id)).count()),
                Check.zero("users inactive that the IdP never deactivated",
                        inactive.stream().filter(id -> !deactivated.contains(id)).count()),
                Check.info("group members pushed and acknowledged, into " + TEAMS.size() + " groups",
                        pushedTo.size()),
                Check.zero("acknowledged group members missing from their group", pushesMissing),
                Check.zero("group members the IdP never pushed", membersNeverPushed),
                Check.zero("deactivations, pushes and look-ups refused or given up on", unacknowledged.size()));

        // What follows from them in other services, awaited until it has all arrived (or the time is up).
        AtomicReference<List<Check>> propagated = new AtomicReference<>();
        long catchUpBegan = System.nanoTime();
        try {
            Awaitility.await().atMost(CATCH_UP).pollDelay(Duration.ZERO).pollInterval(Duration.ofSeconds(10))
                    .until(() -> {
                        propagated.set(propagation(organization, connectionId, started, stored.ids(), inactive));
                        return propagated.get().stream().noneMatch(Check::failed);
                    });
        } catch (ConditionTimeoutException stillMissing) {
            // The last tally says what never arrived; the assertion below fails on it.
        }
        double catchUpSeconds = (System.nanoTime() - catchUpBegan) / 1e9;
        List<Check> requests = List.of(
                Check.zero("requests slower than " + HANG.toSeconds() + " s (hangs)", hangs.get()),
                Check.info("slowest answer", String.format("%.1f s", slowest.get() / 1e3)),
                Check.zero("`503`/`504` without `Retry-After`", retryAfterMissing.get()),
                Check.info("answers by status", new TreeMap<>(answers)));

        List<Check> checks = new ArrayList<>(writes);
        checks.addAll(propagated.get());
        checks.addAll(requests);
        String report = String.join("\n",
                String.format("## Outage run: %d users, %d clients, outages of %d s, %d s of sync, caught up %.0f s"
                        + " later", OUTAGE_USERS, OUTAGE_CLIENTS, OUTAGE.toSeconds(), syncTime.toSeconds(),
                        catchUpSeconds),
                "",
                "| outage | how | after user | at | for | writes acknowledged meanwhile | ready again after |",
                "|---|---|---|---|---|---|---|",
                String.join("\n", outageLog),
                "",
                "| check | count |",
                "|---|---|",
                checks.stream().map(Check::row).collect(Collectors.joining("\n")),
                "",
                "Not acknowledged: " + unacknowledged,
                "Slow requests (started at + took = answer, seconds from the start): " + slowRequests);
        System.out.println(report);
        Path out = Path.of("target", "fault-outages.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report + "\n");

        assertEquals(List.of(), checks.stream().filter(Check::failed).map(Check::what).toList(), report);
    }

    /**
     * User {@code i} of the outage run, as an IdP syncs it: created; every second one pushed into one of the
     * groups; every fifth one then deactivated. Each write is sent again until it is acknowledged.
     */
    private void syncUser(int i, String organization, String scimBaseUrl, URI usersEndpoint, String token,
            Map<String, String> groupOfTeam) {
        String userName = "user" + i + "@" + organization + ".test";
        if (!provision(usersEndpoint, token, userName)) {
            return;
        }
        acknowledgedWrites.incrementAndGet();
        // After a 409 the IdP does not know the id: it looks the user up, as Okta and Entra ID do.
        String id = created.containsKey(userName) ? created.get(userName) : lookUp(scimBaseUrl, token, userName);
        if (id == null) {
            return;
        }
        if (i % 2 == 0) {
            String team = TEAMS.get(i / 2 % TEAMS.size());
            if (untilAcknowledged("push of " + userName + " into " + team, scimRequest(scimBaseUrl + "/Groups/"
                    + groupOfTeam.get(team), token).method("PATCH", HttpRequest.BodyPublishers.ofString("{\"schemas\":[\""
                    + ScimClient.PATCH_OP + "\"],\"Operations\":[{\"op\":\"add\",\"path\":\"members\",\"value\":"
                    + "[{\"value\":\"" + id + "\"}]}]}")).build(), Set.of(200, 204)) != null) {
                pushedTo.put(id, team);
                acknowledgedWrites.incrementAndGet();
            }
        }
        if (i % 5 == 0) {
            if (untilAcknowledged("deactivation of " + userName, scimRequest(scimBaseUrl + "/Users/" + id, token)
                    .method("PATCH", HttpRequest.BodyPublishers.ofString(DEACTIVATE)).build(), Set.of(200, 204)) != null) {
                deactivated.add(id);
                acknowledgedWrites.incrementAndGet();
            }
        }
    }

    private String lookUp(String scimBaseUrl, String token, String userName) {
        HttpResponse<String> found = untilAcknowledged("look-up of " + userName, scimRequest(scimBaseUrl
                + "/Users?filter=" + URLEncoder.encode("userName eq \"" + userName + "\"", StandardCharsets.UTF_8),
                token).GET().build(), Set.of(200));
        if (found == null) {
            return null;
        }
        JsonNode users = json(found.body()).path("Resources");
        if (users.size() != 1) {
            unacknowledged.add("look-up of " + userName + ": " + users.size() + " users");
            return null;
        }
        return users.get(0).path("id").asText();
    }

    /**
     * What the acknowledged writes cause elsewhere: teams, the audit log, the events, and no dead letter since
     * the run started. {@code inactive} and {@code storedIds} are the tenant's users as stored.
     */
    private List<Check> propagation(String organization, String connectionId, Instant started, Set<String> storedIds,
            Set<String> inactive) throws Exception {
        // Teams: every deactivated user out of every team, every active pushed member in its group's team.
        Map<String, Set<String>> teamMembers = new HashMap<>();
        for (JsonNode team : NewTenant.admin("GET", "/organizations/" + organization + "/teams", null)) {
            Set<String> members = new HashSet<>();
            NewTenant.admin("GET", "/organizations/" + organization + "/teams/" + team.path("name").asText()
                    + "/members", null).path("members").forEach(member -> members.add(member.path("id").asText()));
            teamMembers.put(team.path("name").asText(), members);
        }
        long inactiveInTeams = teamMembers.values().stream()
                .mapToLong(members -> members.stream().filter(inactive::contains).count()).sum();
        long activeMissingFromTeam = pushedTo.entrySet().stream().filter(push -> !inactive.contains(push.getKey())
                && !teamMembers.getOrDefault(push.getValue(), Set.of()).contains(push.getKey())).count();
        long teamMembersNeverPushed = teamMembers.entrySet().stream().mapToLong(team -> team.getValue().stream()
                .filter(member -> !team.getKey().equals(pushedTo.get(member))).count()).sum();

        // What reached Kafka for this connection, read as any consumer would, each message once.
        Published published = published(connectionId);
        Set<String> pushed = new HashSet<>();
        Set<String> pushedInactive = new HashSet<>();
        pushedTo.forEach((id, team) -> {
            pushed.add(id + " " + team);
            if (inactive.contains(id)) {
                pushedInactive.add(id + " " + team);
            }
        });

        // The audit log of the connection, against what reached Kafka.
        AuditLog audit = auditLog(connectionId);
        JsonNode verified = NewTenant.admin("GET", "/audit/verify?connection=" + connectionId, null);
        long notInAudit = missing(published.commands(), audit.commands()) + missing(published.outcomes(),
                audit.outcomes()) + missing(published.events().keySet(), audit.events());
        long auditedNeverPublished = missing(audit.commands(), published.commands())
                + missing(audit.outcomes(), published.outcomes()) + missing(audit.events(), published.events().keySet());

        long deadLetters = 0;
        for (JsonNode letter : NewTenant.admin("GET", "/dead-letters?limit=500", null).path("deadLetters")) {
            if (!Instant.parse(letter.path("parkedAt").asText()).isBefore(started)) {
                deadLetters++;
            }
        }
        return List.of(
                Check.zero("deactivated users still in a team (memberships)", inactiveInTeams),
                Check.zero("active pushed members missing from their group's team", activeMissingFromTeam),
                Check.zero("team members the IdP never pushed into that team", teamMembersNeverPushed),
                Check.info("commands of the connection on Kafka (distinct ids; each IdP retry is a new command)",
                        published.commands().size()),
                Check.info("outcomes on Kafka / events on Kafka (distinct ids)", String.format("%,d / %,d",
                        published.outcomes().size(), published.events().size())),
                Check.info("audited commands / outcomes / events", String.format("%,d / %,d / %,d",
                        audit.commands().size(), audit.outcomes().size(), audit.events().size())),
                Check.zero("commands, outcomes and events on Kafka missing from the audit log", notInAudit),
                Check.zero("audit records of no command, outcome or event on Kafka", auditedNeverPublished),
                Check.zero("audited commands without their audited outcome", missing(audit.commands(), audit.outcomes())),
                Check.zero("messages audited twice", audit.duplicates()),
                Check.zero(String.format("audit chain breaks (`/audit/verify`: %,d records, %s)",
                        verified.path("records").asLong(), verified.path("intact").asBoolean() ? "intact"
                                : verified.path("problem").asText()),
                        verified.path("intact").asBoolean() ? 0 : 1),
                Check.zero("dead letters parked since the run started", deadLetters),
                Check.zero("stored users without their `member.created` event",
                        missing(storedIds, published.subjectsOf(MEMBER_CREATED))),
                Check.zero("deactivated users without their `member.deactivated` event",
                        missing(inactive, published.subjectsOf(MEMBER_DEACTIVATED))),
                Check.zero("pushed members without their `team.member.added` event",
                        missing(pushed, published.subjectsOf(TEAM_MEMBER_ADDED))),
                Check.zero("pushed members deactivated without their `team.member.removed` event",
                        missing(pushedInactive, published.subjectsOf(TEAM_MEMBER_REMOVED))),
                Check.info("events delivered more than once (same `ce_id`)",
                        published.events().values().stream().filter(deliveries -> deliveries > 1).count()));
    }

    /** How many of {@code expected} are not in {@code found}. */
    private static long missing(Set<String> expected, Set<String> found) {
        return expected.stream().filter(item -> !found.contains(item)).count();
    }

    /**
     * A connection's messages on Kafka: command ids of its commands and of its outcomes, its membership and
     * team events by {@code ce_id} with how often each was delivered, and each event type's subjects (for a
     * team event: the member id and the team).
     */
    private record Published(Set<String> commands, Set<String> outcomes, Map<String, Integer> events,
            Map<String, Set<String>> subjectsByType) {
        Set<String> subjectsOf(String type) {
            return subjectsByType.getOrDefault(type, Set.of());
        }
    }

    private static Published published(String connectionId) {
        Set<String> commands = new HashSet<>();
        Set<String> outcomes = new HashSet<>();
        Map<String, Integer> events = new HashMap<>();
        Map<String, Set<String>> subjectsByType = new HashMap<>();
        SyncRuns.everyRecord(List.of(Topics.USER_COMMANDS, Topics.GROUP_COMMANDS, Topics.COMMAND_OUTCOMES,
                Topics.MEMBERSHIP_EVENTS, Topics.TEAM_EVENTS), record -> {
            switch (record.topic()) {
                case Topics.USER_COMMANDS -> {
                    UserCommand command = ContractJson.read(record.value(), UserCommand.class);
                    if (connectionId.equals(command.connectionId())) {
                        commands.add(command.commandId().toString());
                    }
                }
                case Topics.GROUP_COMMANDS -> {
                    GroupCommand command = ContractJson.read(record.value(), GroupCommand.class);
                    if (connectionId.equals(command.connectionId())) {
                        commands.add(command.commandId().toString());
                    }
                }
                case Topics.COMMAND_OUTCOMES -> {
                    CommandOutcome outcome = ContractJson.read(record.value(), CommandOutcome.class);
                    if (connectionId.equals(outcome.connectionId())) {
                        outcomes.add(outcome.commandId().toString());
                    }
                }
                default -> {
                    MembershipEventsConsumer.MemberEvent event = MembershipEventsConsumer.read(record);
                    if (connectionId.equals(event.connectionId())) {
                        events.merge(event.id(), 1, Integer::sum);
                        subjectsByType.computeIfAbsent(event.type(), type -> new HashSet<>()).add(
                                record.topic().equals(Topics.TEAM_EVENTS)
                                        ? event.subject() + " " + event.data().path("team").asText() : event.subject());
                    }
                }
            }
        });
        return new Published(commands, outcomes, events, subjectsByType);
    }

    /** A connection's audit records by kind: command ids of commands and outcomes, event ids; and messages stored twice. */
    private record AuditLog(Set<String> commands, Set<String> outcomes, Set<String> events, long duplicates) {
    }

    private AuditLog auditLog(String connectionId) throws IOException, InterruptedException {
        LocalStack.Endpoints endpoints = SharedStack.endpoints();
        HttpResponse<String> export = http.send(HttpRequest.newBuilder(URI.create(endpoints.adminBaseUrl()
                        + "/audit/export?format=ndjson&connection=" + connectionId))
                .header("Authorization", "Bearer " + endpoints.adminToken()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, export.statusCode(), export.body());
        Set<String> commands = new HashSet<>();
        Set<String> outcomes = new HashSet<>();
        Set<String> events = new HashSet<>();
        Set<String> messages = new HashSet<>();
        long duplicates = 0;
        for (String line : export.body().split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode record = json(line);
            if (!messages.add(record.path("messageId").asText())) {
                duplicates++;
            }
            switch (record.path("kind").asText()) {
                case "command" -> commands.add(record.path("commandId").asText());
                case "outcome" -> outcomes.add(record.path("commandId").asText());
                case "event" -> events.add(record.path("messageId").asText().substring("event:".length()));
                // The operator's own actions on the connection (its SCIM token issued): audited too, not the IdP's.
                case "admin" -> { }
                default -> throw new IllegalStateException("an audit record of an unknown kind: " + line);
            }
        }
        return new AuditLog(commands, outcomes, events, duplicates);
    }

    /** Seconds from now until each of the services is ready again, as text for the report. */
    private static String readyAgainAfter(List<String> services) throws InterruptedException {
        long began = System.nanoTime();
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        for (String service : services) {
            HttpRequest ready = HttpRequest.newBuilder(URI.create("http://localhost:" + SharedStack.port(service)
                    + "/q/health/ready")).timeout(Duration.ofSeconds(2)).build();
            while (true) {
                try {
                    if (client.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                        break;
                    }
                } catch (IOException notYet) {
                    // polled again below
                }
                if (System.nanoTime() - began > READY_AGAIN.toNanos()) {
                    return service + " not within " + READY_AGAIN.toSeconds() + " s";
                }
                Thread.sleep(100);
            }
        }
        return String.format("%.1f s", (System.nanoTime() - began) / 1e9);
    }

    private static HttpRequest.Builder scimRequest(String uri, String token) {
        return HttpRequest.newBuilder(URI.create(uri)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/scim+json").timeout(Duration.ofSeconds(60));
    }

    private JsonNode scimGet(String uri, String token) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(scimRequest(uri, token).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), uri + ": " + response.body());
        return json(response.body());
    }

    /** One line of a report: what was counted, its value, and whether it is a count that must be zero. */
    private record Check(String what, String value, boolean mustBeZero) {
        static Check zero(String what, long count) {
            return new Check(what, String.format("%,d", count), true);
        }

        static Check info(String what, Object value) {
            return new Check(what, value instanceof Number number ? String.format("%,d", number.longValue())
                    : String.valueOf(value), false);
        }

        boolean failed() {
            return mustBeZero && !value.equals("0");
        }

        String row() {
            return "| " + what + " | " + (mustBeZero ? "**" + value + "**" : value) + " |";
        }
    }

    /** The tenant's users as stored, against those the IdP provisioned. */
    private record StoredUsers(Map<String, List<JsonNode>> byUserName, long duplicates, Set<String> missing,
            Set<String> unexplained, long wrongIds) {
        Set<String> ids() {
            Set<String> ids = new HashSet<>();
            byUserName.values().forEach(users -> users.forEach(user -> ids.add(user.path("id").asText())));
            return ids;
        }
    }

    /**
     * What the IdP believes exists ({@code user0..user<count-1>@organization.test}, but those it gave up on or
     * never started, with the ids it was answered), against what is stored.
     */
    private StoredUsers storedUsers(String token, String organization, int count) throws Exception {
        Map<String, List<JsonNode>> stored = SyncRuns.allUsers(http, SharedStack.endpoints().scimBaseUrl(), token);
        Set<String> expected = new HashSet<>();
        for (int i = 0; i < count; i++) {
            expected.add("user" + i + "@" + organization + ".test");
        }
        expected.removeAll(gaveUp);
        expected.removeAll(notStarted);
        long duplicates = stored.values().stream().filter(users -> users.size() > 1).count();
        Set<String> missing = new HashSet<>(expected);
        missing.removeAll(stored.keySet());
        Set<String> unexplained = new HashSet<>(stored.keySet());
        unexplained.removeAll(expected);
        long wrongIds = created.entrySet().stream().filter(entry -> stored.getOrDefault(entry.getKey(), List.of())
                .stream().noneMatch(user -> user.path("id").asText().equals(entry.getValue()))).count();
        return new StoredUsers(stored, duplicates, missing, unexplained, wrongIds);
    }

    /**
     * One user, created the way an IdP retries until it knows the outcome; true once it is known to exist (a
     * 201, or a 409 after an attempt that was not answered).
     */
    private boolean provision(URI usersEndpoint, String token, String userName) {
        HttpRequest create = HttpRequest.newBuilder(usersEndpoint)
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/scim+json")
                .timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofString("{\"schemas\":[\"" + ScimClient.CORE_USER
                        + "\"],\"userName\":\"" + userName + "\"}")).build();
        boolean unanswered = false;
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Answer answer = send(create);
            if (answer == null) {
                return false;
            }
            if (answer.status() == 201) {
                created.put(userName, id(answer.response().body()));
                return true;
            }
            if (answer.status() == 409 && unanswered) {
                landedAfterRetry.add(userName);
                return true;
            }
            if (answer.status() == 409) {
                unexpectedConflicts.add(userName);
                return false;
            }
            unanswered = true;
            if (!pauseBeforeRetry(answer)) {
                return false;
            }
        }
        gaveUp.add(userName);
        return false;
    }

    /**
     * Sends a request the way an IdP does until it is answered with one of {@code acknowledged}: after a 503 or
     * 504, a connection error or no answer within the client's timeout it waits and sends it again; any other
     * answer is a refusal. Answers the acknowledging response, or null (noted in {@link #unacknowledged}).
     */
    private HttpResponse<String> untilAcknowledged(String what, HttpRequest request, Set<Integer> acknowledged) {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Answer answer = send(request);
            if (answer == null) {
                return null;
            }
            if (acknowledged.contains(answer.status())) {
                return answer.response();
            }
            if (!UNANSWERED.contains(answer.status())) {
                unacknowledged.add(what + ": " + answer.status() + " " + answer.response().body());
                return null;
            }
            if (!pauseBeforeRetry(answer)) {
                return null;
            }
        }
        unacknowledged.add(what + ": given up after " + ATTEMPTS + " attempts");
        return null;
    }

    /**
     * One attempt's answer: its status (0 for a connection error, -1 for no answer within the client's
     * timeout) and the response, if there was one.
     */
    private record Answer(int status, HttpResponse<String> response) {
    }

    /** Sends one attempt, timing it and counting its answer; null if the thread was interrupted. */
    private Answer send(HttpRequest request) {
        long began = System.nanoTime();
        int status;
        HttpResponse<String> response = null;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
            status = response.statusCode();
        } catch (HttpTimeoutException e) {
            status = -1;
        } catch (IOException e) {
            status = 0;  // connection refused or reset: the gateway is down
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
        long millis = (System.nanoTime() - began) / 1_000_000;
        slowest.accumulateAndGet(millis, Math::max);
        if (millis > HANG.toMillis()) {
            hangs.incrementAndGet();
        }
        if (millis > HANG.toMillis() / 2) {
            slowRequests.add(String.format("%.1f+%.1f=%s", (began - runStartedNanos) / 1e9, millis / 1e3, status));
        }
        answers.computeIfAbsent(status == 0 ? "connection error" : status == -1 ? "client timeout"
                : Integer.toString(status), s -> new AtomicLong()).incrementAndGet();
        return new Answer(status, response);
    }

    /**
     * Waits before the next attempt: Retry-After after a 503 or 504 (honoured, capped so the run stays short;
     * IdPs wait the whole time), half a second otherwise. False if the thread was interrupted.
     */
    private boolean pauseBeforeRetry(Answer answer) {
        long pause = 500;
        if (answer.status() == 503 || answer.status() == 504) {
            var retryAfter = answer.response().headers().firstValue("Retry-After");
            if (retryAfter.isEmpty()) {
                retryAfterMissing.incrementAndGet();
            } else {
                pause = Math.min(Long.parseLong(retryAfter.get()) * 1000, 2000);
            }
        }
        try {
            Thread.sleep(pause);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private record EventTally(long distinct, long missing, long redelivered) {
    }

    private static EventTally createdEvents(String connectionId, Set<String> userIds) {
        Map<String, Integer> seenIds = new HashMap<>();
        Set<String> createdFor = new HashSet<>();
        SyncRuns.everyEvent(event -> {
            if (connectionId.equals(event.connectionId())) {
                seenIds.merge(event.id(), 1, Integer::sum);
                if (event.type().endsWith("member.created.v1")) {
                    createdFor.add(event.subject());
                }
            }
        }, () -> createdFor.containsAll(userIds));
        Set<String> missing = new HashSet<>(userIds);
        missing.removeAll(createdFor);
        return new EventTally(seenIds.size(), missing.size(),
                seenIds.values().stream().filter(count -> count > 1).count());
    }

    private static String id(String body) {
        return json(body).path("id").asText();
    }

    private static JsonNode json(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
