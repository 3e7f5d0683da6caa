package dev.scimsync.e2e;

import static dev.scimsync.e2e.ScimClient.CORE_USER;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scimsync.stack.LocalStack;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** Membership events as another service sees them, through a crash of the service that captures them. */
class EventsIT {

    /** Reads membership events with the guide's consumer until {@code done} says enough. */
    private static Map<String, List<MembershipEventsConsumer.MemberEvent>> consume(Set<String> subjects,
            java.util.function.Predicate<Map<String, List<MembershipEventsConsumer.MemberEvent>>> done) {
        Map<String, List<MembershipEventsConsumer.MemberEvent>> bySubject = new HashMap<>();
        try (MembershipEventsConsumer consumer = new MembershipEventsConsumer(SharedStack.kafkaBootstrapServers(),
                "e2e-" + UUID.randomUUID())) {
            Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
            while (!done.test(bySubject) && Instant.now().isBefore(deadline)) {
                consumer.poll(Duration.ofMillis(500), event -> {
                    if (subjects.contains(event.subject())) {
                        bySubject.computeIfAbsent(event.subject(), k -> new ArrayList<>()).add(event);
                    }
                });
            }
        }
        return bySubject;
    }

    @Test
    void aServiceTeamsConsumerAndTheAuditLogSeeEveryMembershipChange() {
        // The IdP's request starts a trace; the command, its outcome and the events it causes continue it.
        String traceId = UUID.randomUUID().toString().replace("-", "");
        String id = ScimClient.scim().header("traceparent", "00-" + traceId + "-b7ad6b7169203331-01")
                .body("{\"schemas\":[\"%s\"],\"userName\":\"%s\"}".formatted(CORE_USER,
                        ScimClient.uniquePrefix("evt") + "ada@example.com"))
                .post("/Users").then().statusCode(201).extract().path("id");
        ScimClient.scim().body("{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],\"Operations\":"
                + "[{\"op\":\"replace\",\"path\":\"active\",\"value\":false}]}").patch("/Users/{id}", id)
                .then().statusCode(200);

        var events = consume(Set.of(id), seen -> seen.getOrDefault(id, List.of()).size() >= 2).get(id);

        assertEquals(List.of("dev.scimsync.membership.member.created.v1",
                "dev.scimsync.membership.member.deactivated.v1"), events.stream().map(e -> e.type()).toList());
        assertEquals(LocalStack.BOOTSTRAP_ORGANIZATION, events.get(1).data().path("organization").asText());
        assertEquals("deactivated", events.get(1).data().path("state").asText());
        assertTrue(events.get(0).connectionId() != null && events.get(0).time() != null);
        assertEquals(traceId, events.get(0).traceparent().split("-")[1], "the event continues the IdP request's trace");

        // audit-service is the first real consumer: the event is in the audit log under its connection.
        LocalStack.Endpoints endpoints = SharedStack.endpoints();
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given()
                .baseUri(endpoints.adminBaseUrl()).header("Authorization", "Bearer " + endpoints.adminToken())
                .queryParam("connection", events.get(0).connectionId())
                .queryParam("action", "dev.scimsync.membership.member.deactivated.v1")
                .get("/audit/records").then().statusCode(200)
                .body("records.find { it.user == '" + id + "' }.kind", equalTo("event")));
    }

    @Test
    void aCrashOfTheCapturingServiceLosesNoEvent() throws Exception {
        String prefix = ScimClient.uniquePrefix("crash");
        int users = 60;
        Set<String> created = ConcurrentHashMap.newKeySet();
        ExecutorService idp = Executors.newFixedThreadPool(4);
        for (int i = 0; i < users; i++) {
            String userName = prefix + i + "@example.com";
            idp.submit(() -> {
                // As an IdP does, a create that was not answered 201 or 409 is sent again: during the crash the
                // gateway cannot verify tokens (503), or the command is queued but not applied in time (503,
                // applied after the restart, so the retry answers 409).
                for (int attempt = 0; attempt < 60; attempt++) {
                    var answer = ScimClient.scim().body("{\"schemas\":[\"%s\"],\"userName\":\"%s\"}"
                            .formatted(CORE_USER, userName)).post("/Users");
                    if (answer.statusCode() == 201 || answer.statusCode() == 409) {
                        created.add(userName);
                        return null;
                    }
                    Thread.sleep(1000);
                }
                return null;
            });
        }
        // Crash membership-service (which commits and captures) while creates are being committed and published.
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> created.size() >= users / 4);
        SharedStack.crashAndRestart("membership-service");
        idp.shutdown();
        assertTrue(idp.awaitTermination(3, TimeUnit.MINUTES));
        assertEquals(users, created.size(), "every create was eventually answered 201 or 409");

        // Every user that exists now - whatever its request was answered - has its created event.
        Awaitility.await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> ScimClient.scim()
                .queryParam("filter", "userName sw \"" + prefix + "\"").queryParam("count", 0).get("/Users")
                .then().body("totalResults", equalTo(users)));
        List<String> ids = ScimClient.scim().queryParam("filter", "userName sw \"" + prefix + "\"")
                .queryParam("count", users).queryParam("attributes", "id").get("/Users").then().statusCode(200)
                .extract().path("Resources.id");
        assertEquals(users, ids.size());

        var events = consume(Set.copyOf(ids), seen -> seen.keySet().containsAll(ids));

        assertEquals(Set.copyOf(ids), events.keySet(), "a member.created event for every committed user");
        events.values().forEach(perUser -> assertEquals("dev.scimsync.membership.member.created.v1",
                perUser.get(0).type()));
    }
}
