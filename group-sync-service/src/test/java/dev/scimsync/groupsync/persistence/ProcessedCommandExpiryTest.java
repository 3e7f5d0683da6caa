package dev.scimsync.groupsync.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.scimsync.groupsync.FakeMembership;
import dev.scimsync.testsupport.InfrastructureTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/** Processed group commands expire after retention.processed-commands (14 days); younger ones stay. */
@QuarkusTest
@QuarkusTestResource(InfrastructureTestResource.class)
@QuarkusTestResource(FakeMembership.class)
class ProcessedCommandExpiryTest {

    @Inject
    ProcessedCommands processed;

    private static Connection sql() throws SQLException {
        var config = ConfigProvider.getConfig();
        return DriverManager.getConnection(config.getValue("quarkus.datasource.jdbc.url", String.class),
                config.getValue("quarkus.datasource.username", String.class),
                config.getValue("quarkus.datasource.password", String.class));
    }

    @Test
    void onlyCommandsOlderThanTheRetentionExpire() throws Exception {
        UUID expired = UUID.randomUUID();
        UUID kept = UUID.randomUUID();
        try (Connection db = sql(); var statement = db.createStatement()) {
            statement.execute("insert into processed_command (command_id, connection_id, outcome, processed_at) values "
                    + "('" + expired + "', 'c', '{}', now() - interval '15 days'), "
                    + "('" + kept + "', 'c', '{}', now() - interval '13 days')");
        }

        processed.expire().await().atMost(Duration.ofSeconds(30));

        try (Connection db = sql(); var rows = db.createStatement().executeQuery("select command_id from "
                + "processed_command where command_id in ('" + expired + "', '" + kept + "')")) {
            List<Object> left = new ArrayList<>();
            while (rows.next()) {
                left.add(rows.getObject(1));
            }
            assertEquals(List.of(kept), left);
        }
    }
}
