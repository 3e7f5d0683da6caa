package dev.scimsync.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class PostgresServerTest {

    @Test
    void runsWithLogicalWalAndDurableCommitsAndKeepsItsDataAcrossRestarts() throws Exception {
        Path data = Files.createTempDirectory("pg-test").resolve("postgres");
        try (PostgresServer postgres = PostgresServer.start(data, 0)) {
            assertEquals("logical", postgres.setting("wal_level"));
            assertEquals("on", postgres.setting("synchronous_commit"));
            assertEquals("on", postgres.setting("fsync"));
            assertEquals("pg_stat_statements", postgres.setting("shared_preload_libraries"));
            postgres.createDatabaseIfMissing("membership");
            postgres.createDatabaseIfMissing("membership");
        }
        try (PostgresServer again = PostgresServer.start(data, 0);
             var connection = java.sql.DriverManager.getConnection(again.jdbcUrl("membership"), again.user(),
                     again.password())) {
            assertEquals("membership", connection.getCatalog());
        }
    }

    @Test
    void refusesDatabaseNamesThatAreNotPlainIdentifiers() throws Exception {
        try (PostgresServer postgres = PostgresServer.start(null, 0)) {
            org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> postgres.createDatabaseIfMissing("x; drop table y"));
        }
    }
}
