package dev.scimsync.groupsync.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.scimsync.contracts.EventTypes;
import dev.scimsync.groupsync.FakeMembership;
import dev.scimsync.testsupport.InfrastructureTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The outbox accepts exactly the event types the catalog describes: the triggers can write no other. */
@QuarkusTest
@QuarkusTestResource(InfrastructureTestResource.class)
@QuarkusTestResource(FakeMembership.class)
class OutboxCatalogTest {

    @Inject
    Pool pool;

    @Test
    void theOutboxAcceptsExactlyTheCataloguedTeamEventTypes() {
        String definition = pool.query("select pg_get_constraintdef(oid) as def from pg_constraint "
                + "where conname = 'outbox_event_type'").execute().await().indefinitely().iterator().next()
                .getString("def");
        Set<String> allowed = new TreeSet<>();
        Matcher quoted = Pattern.compile("'([^']+)'").matcher(definition);
        while (quoted.find()) {
            allowed.add(quoted.group(1));
        }
        Set<String> catalogued = new TreeSet<>(EventTypes.TEAM_EVENTS);
        catalogued.addAll(EventTypes.GROUP_PLACEMENTS);
        assertEquals(catalogued, allowed);
    }
}
