package dev.scimsync.membership.api.admin;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.scimsync.testsupport.InfrastructureTestResource;
import dev.scimsync.testsupport.TestClock;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The times the admin API and the directory store (an organization's, a connection's and an invitation's creation,
 * another service's provisioning error) are the injected clock's, cut to the millisecond (StoredTime): with the clock
 * stopped ten minutes off, at an instant with micros, each reads back as that instant's millisecond.
 */
@QuarkusTest
@QuarkusTestResource(InfrastructureTestResource.class)
class AdminTimesFromTheClockTest {

    @Inject
    Pool pool;

    @AfterEach
    void runTheClock() {
        TestClock.shared().run();
    }

    private static RequestSpecification json() {
        return given().contentType(ContentType.JSON);
    }

    private Instant stored(String sql, String name) {
        return pool.preparedQuery(sql).execute(Tuple.of(name)).await().atMost(Duration.ofSeconds(30)).iterator().next()
                .getOffsetDateTime(0).toInstant();
    }

    @Test
    void organizationsConnectionsInvitationsAndProvisioningErrorsAreStampedByTheClock() {
        String org = "clock" + UUID.randomUUID().toString().substring(0, 6);
        Instant stopped = TestClock.distinctTime();
        Instant expected = stopped.truncatedTo(ChronoUnit.MILLIS);
        TestClock.shared().stopAt(stopped);

        json().body(Map.of("name", org)).post("/internal/v1/admin/organizations").then().statusCode(201);
        String connection = json().body(Map.of("name", org + "-sso", "organizations", List.of(org),
                        "defaultOrganization", org, "scimEnabled", true))
                .post("/internal/v1/admin/connections").then().statusCode(201).extract().path("id");
        json().body(Map.of("email", "guest@x.test")).post("/internal/v1/admin/organizations/{o}/invitations", org)
                .then().statusCode(201).body("createdAt", equalTo(expected.toString()));
        json().body(Map.of("commandId", UUID.randomUUID().toString(), "operation", "group create",
                        "subject", "Engineering", "reason", "UNMAPPED_GROUP", "detail", "not formatted"))
                .post("/internal/v1/connections/{c}/provisioning-errors", connection).then().statusCode(201);

        assertEquals(expected, stored("select created_at from organization where name = $1", org));
        assertEquals(expected, stored("select created_at from connection where name = $1", org + "-sso"));
        json().get("/internal/v1/admin/organizations/{o}/invitations", org).then().statusCode(200)
                .body("[0].createdAt", equalTo(expected.toString()));
        json().get("/internal/v1/admin/connections/{c}/provisioning-errors", org + "-sso").then().statusCode(200)
                .body("[0].occurredAt", equalTo(expected.toString()));
    }
}
