package dev.scimsync.groupsync.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.scimsync.groupsync.FakeMembership;
import dev.scimsync.testsupport.InfrastructureTestResource;
import dev.scimsync.testsupport.TestDatabase;
import dev.scimsync.testsupport.TestClock;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Processed group commands expire after retention.processed-commands (14 days); younger ones stay. */
@QuarkusTest
@QuarkusTestResource(InfrastructureTestResource.class)
@QuarkusTestResource(FakeMembership.class)
class ProcessedCommandExpiryTest {

    @Inject
    ProcessedCommands processed;


    /** Two commands processed at the given times (SQL expressions). */
    private static void processedAt(UUID first, String firstTime, UUID second, String secondTime) throws SQLException {
        try (Connection db = TestDatabase.connect(); var statement = db.createStatement()) {
            statement.execute("insert into processed_command (command_id, connection_id, outcome, processed_at) values "
                    + "('" + first + "', 'c', '{}', " + firstTime + "), ('" + second + "', 'c', '{}', " + secondTime + ")");
        }
    }

    private static List<Object> left(UUID... ids) throws SQLException {
        try (Connection db = TestDatabase.connect(); var rows = db.createStatement().executeQuery("select command_id from "
                + "processed_command where command_id in ('" + ids[0] + "', '" + ids[1] + "') order by processed_at")) {
            List<Object> left = new ArrayList<>();
            while (rows.next()) {
                left.add(rows.getObject(1));
            }
            return left;
        }
    }

    /**
     * The retention counts back from the injected clock: commands processed in 2020, a second apart, with the
     * clock stopped 14 days after the first plus half a second, the older one expires and the younger one stays
     * (counted from the real time, both would go).
     */
    @Test
    void theRetentionCountsBackFromTheInjectedClock() throws Exception {
        UUID older = UUID.randomUUID();
        UUID younger = UUID.randomUUID();
        processedAt(older, "'2020-01-01T00:00:00Z'", younger, "'2020-01-01T00:00:01Z'");
        TestClock.shared().stopAt(Instant.parse("2020-01-15T00:00:00.500Z"));
        try {
            processed.expire().await().atMost(Duration.ofSeconds(30));
        } finally {
            TestClock.shared().run();
        }
        assertEquals(List.of(younger), left(older, younger));
    }

    @Test
    void onlyCommandsOlderThanTheRetentionExpire() throws Exception {
        UUID expired = UUID.randomUUID();
        UUID kept = UUID.randomUUID();
        processedAt(expired, "now() - interval '15 days'", kept, "now() - interval '13 days'");

        processed.expire().await().atMost(Duration.ofSeconds(30));

        assertEquals(List.of(kept), left(expired, kept));
    }
}
