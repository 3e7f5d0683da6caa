package dev.scimsync.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
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
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Faults during an initial sync (run with {@code mvn -pl e2e-tests verify -Pfaults}; results in
 * docs/reliability.md). 16 IdP clients create 20,000 users (Okta-like: retry on 503/504 after Retry-After,
 * on connection errors after a pause, and a 409 after an unanswered attempt means the attempt landed),
 * while every service in turn is killed with SIGKILL and restarted, then the Kafka broker, then PostgreSQL
 * is crashed (immediate shutdown) and restarted. Afterwards: every user exists exactly once, no user exists that was never answered 201 or
 * found after a retry, every user's {@code member.created} event arrived, and no request hung past the
 * gateway's outcome timeout.
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
    private final AtomicInteger done = new AtomicInteger();

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
        Map<String, List<String>> stored = new HashMap<>();
        SyncRuns.allUsers(http, SharedStack.endpoints().scimBaseUrl(), token).forEach((userName, users) ->
                stored.put(userName, users.stream().map(user -> user.path("id").asText()).toList()));
        Set<String> expected = new HashSet<>();
        for (int i = 0; i < USERS; i++) {
            expected.add("user" + i + "@" + organization + ".test");
        }
        expected.removeAll(gaveUp);
        long duplicates = stored.values().stream().filter(ids -> ids.size() > 1).count();
        Set<String> missing = new HashSet<>(expected);
        missing.removeAll(stored.keySet());
        Set<String> unexplained = new HashSet<>(stored.keySet());
        unexplained.removeAll(expected);
        long wrongIds = created.entrySet().stream()
                .filter(entry -> !stored.getOrDefault(entry.getKey(), List.of()).contains(entry.getValue())).count();

        // Every stored user's creation event, read as a consuming service would (deduplicated by ce_id).
        Set<String> storedIds = new HashSet<>();
        stored.values().forEach(storedIds::addAll);
        EventTally events = createdEvents(connectionId, storedIds);

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
                "| users stored | " + stored.size() + " |",
                "| users stored twice or more | " + duplicates + " |",
                "| users the IdP provisioned that are missing | " + missing.size() + " |",
                "| users stored that the IdP never provisioned | " + unexplained.size() + " |",
                "| 201 answers whose id is not the stored user's | " + wrongIds + " |",
                "| 409 without an earlier unanswered attempt | " + unexpectedConflicts.size() + " |",
                "| users given up on (30 attempts) | " + gaveUp.size() + " |",
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

        assertEquals(0, duplicates, report);
        assertEquals(Set.of(), missing, report);
        assertEquals(Set.of(), unexplained, report);
        assertEquals(0, wrongIds, report);
        assertEquals(Set.of(), unexpectedConflicts, report);
        assertEquals(Set.of(), gaveUp, report);
        assertEquals(0, events.missing, report);
        assertEquals(0, hangs.get(), report);
        assertEquals(0, retryAfterMissing.get(), report);
    }

    /** One user, created the way an IdP retries until it knows the outcome. */
    private void provision(URI usersEndpoint, String token, String userName) {
        boolean unanswered = false;
        for (int attempt = 0; attempt < 30; attempt++) {
            long began = System.nanoTime();
            int status;
            HttpResponse<String> response = null;
            try {
                response = http.send(HttpRequest.newBuilder(usersEndpoint)
                        .header("Authorization", "Bearer " + token).header("Content-Type", "application/scim+json")
                        .timeout(Duration.ofSeconds(60))
                        .POST(HttpRequest.BodyPublishers.ofString("{\"schemas\":[\"" + ScimClient.CORE_USER
                                + "\"],\"userName\":\"" + userName + "\"}")).build(), HttpResponse.BodyHandlers.ofString());
                status = response.statusCode();
            } catch (HttpTimeoutException e) {
                status = -1;
            } catch (IOException e) {
                status = 0;  // connection refused or reset: the gateway is down
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
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
            if (status == 201) {
                created.put(userName, id(response.body()));
                return;
            }
            if (status == 409 && unanswered) {
                landedAfterRetry.add(userName);
                return;
            }
            if (status == 409) {
                unexpectedConflicts.add(userName);
                return;
            }
            unanswered = true;
            long pause = 500;
            if (status == 503 || status == 504) {
                var retryAfter = response.headers().firstValue("Retry-After");
                if (retryAfter.isEmpty()) {
                    retryAfterMissing.incrementAndGet();
                } else {
                    // Honoured, capped so the run stays short; IdPs wait the whole time.
                    pause = Math.min(Long.parseLong(retryAfter.get()) * 1000, 2000);
                }
            }
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        gaveUp.add(userName);
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
        try {
            return JSON.readTree(body).path("id").asText();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
