package dev.scimsync.gateway.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scimsync.contracts.internal.Problem;
import dev.scimsync.gateway.scim.ScimException;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.core.Response;
import java.net.ConnectException;
import java.time.Duration;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** What the owning services answer becomes a SCIM answer, never a 500. */
class ServiceAnswersTest {

    @Test
    void anUnreachableServiceIs503WithRetryAfter() {
        Uni<Response> refused = Uni.createFrom().failure(new ConnectException("Connection refused"));
        ScimException error = assertThrows(ScimException.class,
                () -> ServiceAnswers.reaching("group-sync-service", refused).await().atMost(Duration.ofSeconds(5)));
        assertEquals(503, error.status());
        assertEquals(OptionalInt.of(5), error.retryAfterSeconds());
        assertEquals("group-sync-service cannot be reached right now", error.detail());
    }

    @Test
    void aReadOfAnUnknownIdIs404AndAnyOtherFailureIs503() {
        ScimException unknown = assertThrows(ScimException.class,
                () -> ServiceAnswers.resource(Response.status(404).build(), String.class, "Group g-1"));
        assertEquals(404, unknown.status());
        assertEquals("Group g-1 not found", unknown.detail());
        assertEquals(503, assertThrows(ScimException.class,
                () -> ServiceAnswers.resource(Response.status(500).build(), String.class, "Group g-1")).status());
        assertEquals(503, assertThrows(ScimException.class,
                () -> ServiceAnswers.page(Response.status(502).build(), String.class, "groups")).status());
    }

    /** A query the owning service cancelled for its cost is 400 tooMany, naming what each resource reads cheaply. */
    @Test
    void aCancelledQueryIsTooManyNamingTheFiltersAnIndexServes() {
        Problem cancelled = new Problem(422, "the query took longer than 3000 ms, the most a query may take");
        ScimException groups = assertThrows(ScimException.class,
                () -> ServiceAnswers.page(Response.status(422).entity(cancelled).build(), String.class, "groups"));
        assertEquals(400, groups.status());
        assertEquals("tooMany", groups.scimType());
        assertEquals(cancelled.detail() + "; ask with a narrower filter (displayName or id eq are read from an index)",
                groups.detail());
        ScimException users = assertThrows(ScimException.class,
                () -> ServiceAnswers.page(Response.status(422).entity(cancelled).build(), String.class, "users"));
        assertTrue(users.detail().endsWith("(userName, externalId or id eq are read from an index)"), users.detail());
    }
}
