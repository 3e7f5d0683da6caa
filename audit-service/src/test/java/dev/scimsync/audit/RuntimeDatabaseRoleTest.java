package dev.scimsync.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scimsync.audit.persistence.Retention;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.YearMonth;
import java.time.ZoneOffset;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * audit-service's runtime database role (issue 19): what someone holding its password - a stolen Secret, an SQL
 * injection - may not do to the audit log, each refused by PostgreSQL for lack of privilege (SQLSTATE 42501),
 * while the service itself, running as that role, records and verifies (the other tests of this module).
 */
@QuarkusTest
@QuarkusTestResource(AuditTestInfrastructure.class)
class RuntimeDatabaseRoleTest {

    private static final String INSUFFICIENT_PRIVILEGE = "42501";

    @Inject
    Retention retention;

    @Test
    void theServiceRunsAsTheRuntimeRoleAndMigrationsRanAsTheOwner() throws SQLException {
        assertEquals(AuditTestInfrastructure.RUNTIME_ROLE,
                ConfigProvider.getConfig().getValue("quarkus.datasource.username", String.class));
        try (Connection owner = AuditTestInfrastructure.asOwner(); Statement statement = owner.createStatement();
                var rows = statement.executeQuery("select tableowner from pg_tables where tablename = 'audit_log'")) {
            assertTrue(rows.next());
            assertEquals(ConfigProvider.getConfig().getValue("quarkus.flyway.username", String.class), rows.getString(1));
        }
        try (Connection runtime = AuditTestInfrastructure.asRuntimeRole(); Statement statement = runtime.createStatement();
                var rows = statement.executeQuery("select count(*) from audit_log")) {
            assertTrue(rows.next(), "the runtime role reads the log");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "truncate audit_log",
        "truncate audit_chain",
        "alter table audit_log disable trigger audit_log_no_update_or_delete",
        "alter table audit_log disable trigger all",
        "alter table audit_log drop column hash",
        "drop trigger audit_log_no_update_or_delete on audit_log",
        "update audit_log set payload = '{}'",
        "delete from audit_log",
        "delete from audit_message",
        "delete from audit_chain",
        "insert into audit_checkpoint (connection_id, last_seq, last_hash, partition_name) values ('x', 9, 'h', 'p')",
        "update audit_retention_floor set days = 1",
        "alter table audit_log detach partition audit_log_default",
        "drop table audit_log_default",
        "create or replace function audit_log_append_only() returns trigger language plpgsql as $$ begin return null; end $$",
    })
    void theRuntimeRoleCannotRewriteOrRemoveTheLog(String statementText) throws SQLException {
        try (Connection runtime = AuditTestInfrastructure.asRuntimeRole(); Statement statement = runtime.createStatement()) {
            SQLException refused = assertThrows(SQLException.class, () -> statement.execute(statementText));
            assertEquals(INSUFFICIENT_PRIVILEGE, refused.getSQLState(), refused.getMessage());
        }
    }

    @Test
    void theRuntimeRoleCannotDropTheCurrentMonthsPartition() throws SQLException {
        String current = Retention.partitionName(YearMonth.now(ZoneOffset.UTC));
        try (Connection runtime = AuditTestInfrastructure.asRuntimeRole(); Statement statement = runtime.createStatement()) {
            SQLException refused = assertThrows(SQLException.class, () -> statement.execute("drop table " + current));
            assertEquals(INSUFFICIENT_PRIVILEGE, refused.getSQLState(), refused.getMessage());
        }
    }

    /** Retention can be lengthened by the service, never shortened: that takes the owner (docs/security.md). */
    @Test
    void theRetentionFunctionRefusesAShorterRetentionThanTheLogKeeps() throws Throwable {
        VertxContextSupport.subscribeAndAwait(() -> retention.enforce());
        int configured = ConfigProvider.getConfig().getValue("audit.retention.days", Integer.class);
        try (Connection runtime = AuditTestInfrastructure.asRuntimeRole(); Statement statement = runtime.createStatement()) {
            SQLException refused = assertThrows(SQLException.class, () -> statement.execute(
                    "select audit_drop_expired_partitions(" + (configured - 1) + ")"));
            assertEquals(INSUFFICIENT_PRIVILEGE, refused.getSQLState(), refused.getMessage());
            SQLException tooShort = assertThrows(SQLException.class, () -> statement.execute(
                    "select audit_drop_expired_partitions(1)"));
            assertEquals(INSUFFICIENT_PRIVILEGE, tooShort.getSQLState(), tooShort.getMessage());
        }
        try (Connection owner = AuditTestInfrastructure.asOwner(); Statement statement = owner.createStatement();
                var rows = statement.executeQuery("select days from audit_retention_floor")) {
            assertTrue(rows.next());
            assertEquals(configured, rows.getInt(1), "the floor is the configured retention, unchanged");
        }
    }
}
