package dev.scimsync.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.scimsync.stack.ServiceProcess;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Scale-out (run with {@code mvn -pl e2e-tests verify -Pscale-out}; results in docs/scaling.md): two
 * instances of every service on one machine - the stack's own ("A") and a second of each ("B": its gateway
 * talks to the B membership-service and group-sync-service) - with command topics of 4 partitions. IdP
 * clients of four tenants spread their requests over both gateways; each user is created, deactivated,
 * reactivated and deactivated again, one request after the other. Halfway through, one instance of each
 * kind (all of A) is killed with SIGKILL and not restarted; the clients go on through the B gateway, as a
 * load balancer would send them. Afterwards: every user exists exactly once and ends deactivated, both
 * gateways answered writes (each got the outcomes of its own commands), and every user's membership events
 * arrived in the order its commands were sent: created, deactivated, reactivated, deactivated.
 */
class ScaleOutIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int USERS = Integer.getInteger("scaleout.users", 800);
    private static final int CLIENTS = Integer.getInteger("scaleout.clients", 12);
    private static final int TENANTS = 4;
    private static final List<String> LIFECYCLE = List.of("created", "deactivated", "reactivated", "deactivated");

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(3)).build();
    private final Map<String, AtomicLong> answers = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> writesAnsweredBy = new ConcurrentHashMap<>();
    private final Set<String> unexpected = ConcurrentHashMap.newKeySet();
    private final Set<String> gaveUp = ConcurrentHashMap.newKeySet();
    private final Map<String, String> userIds = new ConcurrentHashMap<>();   // userName -> id
    private final AtomicInteger done = new AtomicInteger();
    private volatile boolean firstInstancesDown;
    private String gatewayA;
    private String gatewayB;

    private record Tenant(String organization, String token, String connectionId) {
    }

    @Test
    void twoInstancesOfEveryServiceLoseOneOfEachWithoutLossDuplicatesOrReordering() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 6);
        List<Tenant> tenants = new ArrayList<>();
        for (int t = 0; t < TENANTS; t++) {
            String organization = "scale-" + run + "-" + t;
            String token = NewTenant.scimToken(organization);
            // Every user ends deactivated: far more than the guard lets through before an admin looks.
            NewTenant.withoutMassDeprovisioningGuard(organization + "-sso");
            tenants.add(new Tenant(organization, token,
                    NewTenant.admin("GET", "/connections/" + organization + "-sso", null).path("id").asText()));
        }

        gatewayA = "http://localhost:" + SharedStack.port("scim-gateway") + "/scim/v2";
        ServiceProcess membershipB = SharedStack.startReplica("membership-service", Map.of());
        String membershipBUrl = "http://localhost:" + membershipB.port();
        ServiceProcess groupSyncB = SharedStack.startReplica("group-sync-service",
                Map.of("MEMBERSHIP_SERVICE_URL", membershipBUrl));
        ServiceProcess auditB = SharedStack.startReplica("audit-service", Map.of());
        ServiceProcess gatewayBProcess = SharedStack.startReplica("scim-gateway", Map.of(
                "MEMBERSHIP_SERVICE_URL", membershipBUrl,
                "GROUP_SYNC_SERVICE_URL", "http://localhost:" + groupSyncB.port(),
                "AUDIT_SERVICE_URL", "http://localhost:" + auditB.port()));
        gatewayB = "http://localhost:" + gatewayBProcess.port() + "/scim/v2";

        Instant started = Instant.now();
        Thread[] clients = new Thread[CLIENTS];
        AtomicInteger next = new AtomicInteger();
        for (int c = 0; c < CLIENTS; c++) {
            clients[c] = new Thread(() -> {
                for (int i = next.getAndIncrement(); i < USERS; i = next.getAndIncrement()) {
                    Tenant tenant = tenants.get(i % TENANTS);
                    lifecycle(tenant, "user" + i + "@" + tenant.organization() + ".test", i);
                    done.incrementAndGet();
                }
            }, "idp-" + c);
            clients[c].start();
        }
        while (done.get() < USERS / 2 && SyncRuns.anyAlive(clients)) {
            Thread.sleep(100);
        }
        int killedAfter = done.get();
        long killStarted = System.nanoTime();
        for (String module : List.of("scim-gateway", "membership-service", "group-sync-service", "audit-service")) {
            SharedStack.crashFirstInstance(module);
        }
        firstInstancesDown = true;
        double killSeconds = (System.nanoTime() - killStarted) / 1e9;
        for (Thread client : clients) {
            client.join();
        }
        Duration runTime = Duration.between(started, Instant.now());

        // What each tenant's IdP believes, against what the surviving instances hold.
        long duplicates = 0;
        Set<String> missing = new LinkedHashSet<>();
        Set<String> notDeactivated = new LinkedHashSet<>();
        long stored = 0;
        for (Tenant tenant : tenants) {
            Map<String, List<JsonNode>> users = SyncRuns.allUsers(http, gatewayB, tenant.token());
            stored += users.size();
            for (var entry : users.entrySet()) {
                if (entry.getValue().size() > 1) {
                    duplicates++;
                }
                if (entry.getValue().get(0).path("active").asBoolean(true)) {
                    notDeactivated.add(entry.getKey());
                }
            }
            for (int i = 0; i < USERS; i++) {
                String userName = "user" + i + "@" + tenant.organization() + ".test";
                if (i % TENANTS == tenants.indexOf(tenant) && !gaveUp.contains(userName) && !users.containsKey(userName)) {
                    missing.add(userName);
                }
            }
        }
        Set<String> connections = new LinkedHashSet<>();
        tenants.forEach(t -> connections.add(t.connectionId()));
        EventOrder order = eventOrder(connections, Set.copyOf(userIds.values()));

        String report = String.join("\n",
                "## Scale-out run: 2 instances of every service, " + USERS + " users x 4 writes, " + TENANTS
                        + " tenants, " + CLIENTS + " clients, " + runTime.toSeconds() + " s",
                "",
                "One instance of each kind (gateway, membership-service, group-sync-service, audit-service) killed "
                        + "with SIGKILL after user " + killedAfter + " (" + String.format("%.1f", killSeconds)
                        + " s to kill all four), not restarted.",
                "",
                "| check | count |",
                "|---|---|",
                "| users provisioned (created, then deactivated, reactivated, deactivated) | " + userIds.size() + " |",
                "| users stored | " + stored + " |",
                "| users stored twice or more | " + duplicates + " |",
                "| users provisioned that are missing | " + missing.size() + " |",
                "| users not ending deactivated (their last command) | " + notDeactivated.size() + " |",
                "| users whose events arrived out of command order | " + order.outOfOrder + " |",
                "| users without all four lifecycle events | " + order.incomplete + " |",
                "| events delivered more than once (same ce_id) | " + order.redelivered + " |",
                "| unexpected answers | " + unexpected.size() + " |",
                "| users given up on (30 attempts per request) | " + gaveUp.size() + " |",
                "| writes answered by gateway A / B | " + writesAnsweredBy.getOrDefault("A", new AtomicLong()) + " / "
                        + writesAnsweredBy.getOrDefault("B", new AtomicLong()) + " |",
                "| answers by status | " + new TreeMap<>(answers) + " |");
        System.out.println(report);
        Path out = Path.of("target", "scale-out.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report + "\n");

        assertEquals(Set.of(), gaveUp, report);
        assertEquals(0, duplicates, report);
        assertEquals(Set.of(), missing, report);
        assertEquals(Set.of(), notDeactivated, report);
        assertEquals(0, order.outOfOrder, report);
        assertEquals(0, order.incomplete, report);
        assertEquals(Set.of(), unexpected, report);
        assertEquals(USERS, userIds.size(), report);
        assertTrue(writesAnsweredBy.getOrDefault("A", new AtomicLong()).get() > 0
                && writesAnsweredBy.getOrDefault("B", new AtomicLong()).get() > 0, report);
    }

    /** One user's life, each request sent once the previous one is answered, alternating gateways. */
    private void lifecycle(Tenant tenant, String userName, int index) {
        String create = "{\"schemas\":[\"" + ScimClient.CORE_USER + "\"],\"userName\":\"" + userName + "\"}";
        HttpResponse<String> created = write(tenant, index, "POST", "/Users", create, userName);
        if (created == null) {
            return;
        }
        String id;
        if (created.statusCode() == 201) {
            id = field(created.body(), "id");
        } else {
            id = lookUp(tenant, userName);
            if (id == null) {
                unexpected.add(userName + ": 409 but no such user");
                return;
            }
        }
        userIds.put(userName, id);
        boolean active = true;
        for (int step = 1; step < LIFECYCLE.size(); step++) {
            active = !active;
            String patch = "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],\"Operations\":"
                    + "[{\"op\":\"replace\",\"path\":\"active\",\"value\":" + active + "}]}";
            if (write(tenant, index + step, "PATCH", "/Users/" + id, patch, userName) == null) {
                return;
            }
        }
    }

    /**
     * Sends a write until it is answered (as an IdP behind a load balancer: a refused connection is retried on
     * the other gateway, a 503/504 after Retry-After); a 409 after an unanswered create means it landed.
     * Answers the final response, or null when it gave up or the answer was unexpected.
     */
    private HttpResponse<String> write(Tenant tenant, int turn, String method, String path, String body,
            String userName) {
        boolean unanswered = false;
        for (int attempt = 0; attempt < 30; attempt++) {
            boolean viaA = !firstInstancesDown && (turn + attempt) % 2 == 0;
            int status;
            HttpResponse<String> response = null;
            try {
                response = http.send(HttpRequest.newBuilder(URI.create((viaA ? gatewayA : gatewayB) + path))
                        .header("Authorization", "Bearer " + tenant.token())
                        .header("Content-Type", "application/scim+json").timeout(Duration.ofSeconds(60))
                        .method(method, HttpRequest.BodyPublishers.ofString(body)).build(),
                        HttpResponse.BodyHandlers.ofString());
                status = response.statusCode();
            } catch (IOException e) {
                status = 0;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
            answers.computeIfAbsent(status == 0 ? "connection error" : Integer.toString(status),
                    s -> new AtomicLong()).incrementAndGet();
            if (status == 200 || status == 201 || (status == 409 && unanswered && method.equals("POST"))) {
                writesAnsweredBy.computeIfAbsent(viaA ? "A" : "B", k -> new AtomicLong()).incrementAndGet();
                return response;
            }
            if (status != 0 && status != 503 && status != 504) {
                unexpected.add(userName + ": " + method + " " + path + " answered " + status + " " + response.body());
                return null;
            }
            unanswered = true;
            long pause = 300;
            if (status != 0) {
                pause = Math.min(Long.parseLong(response.headers().firstValue("Retry-After").orElse("1")) * 1000, 2000);
            }
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
        gaveUp.add(userName);
        return null;
    }

    private String lookUp(Tenant tenant, String userName) {
        String filter = URLEncoder.encode("userName eq \"" + userName + "\"", StandardCharsets.UTF_8);
        try {
            JsonNode page = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(gatewayB + "/Users?filter=" + filter))
                    .header("Authorization", "Bearer " + tenant.token()).build(), HttpResponse.BodyHandlers.ofString()).body());
            return page.path("Resources").size() == 1 ? page.path("Resources").get(0).path("id").asText() : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private record EventOrder(long outOfOrder, long incomplete, long redelivered) {
    }

    /**
     * Each user's lifecycle events as a consuming service reads them (deduplicated by ce_id, in arrival order;
     * events are keyed by member, so one member's events share a partition), against the order of its commands.
     */
    private static EventOrder eventOrder(Set<String> connectionIds, Set<String> userIds) {
        Map<String, Integer> seen = new HashMap<>();
        Map<String, List<String>> lifecycleOf = new HashMap<>();
        SyncRuns.everyEvent(event -> {
            if (!connectionIds.contains(event.connectionId()) || seen.merge(event.id(), 1, Integer::sum) > 1) {
                return;
            }
            String kind = event.type().replace("dev.scimsync.membership.member.", "").replace(".v1", "");
            if (kind.equals("created") || kind.equals("deactivated") || kind.equals("reactivated")) {
                lifecycleOf.computeIfAbsent(event.subject(), k -> new ArrayList<>()).add(kind);
            }
        }, () -> complete(lifecycleOf, userIds));
        long outOfOrder = 0;
        long incomplete = 0;
        for (String user : userIds) {
            List<String> kinds = lifecycleOf.getOrDefault(user, List.of());
            if (kinds.size() < LIFECYCLE.size()) {
                incomplete++;
            } else if (!kinds.equals(LIFECYCLE)) {
                outOfOrder++;
            }
        }
        return new EventOrder(outOfOrder, incomplete, seen.values().stream().filter(count -> count > 1).count());
    }

    private static boolean complete(Map<String, List<String>> lifecycleOf, Set<String> userIds) {
        return userIds.stream().allMatch(user -> lifecycleOf.getOrDefault(user, List.of()).size() >= LIFECYCLE.size());
    }

    private static String field(String body, String name) {
        try {
            return JSON.readTree(body).path(name).asText();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
