package dev.scimsync.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StackSettingsTest {

    private final Path root = Path.of("/srv/project");

    @Test
    void defaultsStayClearOfASystemPostgresAndKafka() {
        StackSettings settings = StackSettings.fromEnvironment(root, Map.of());
        assertEquals(15432, settings.postgresPort());
        assertEquals(19092, settings.kafkaPort());
        assertEquals(8080, settings.gatewayPort());
        assertEquals(root.resolve(".stack"), settings.dataDirectory());
        assertNull(settings.externalPostgresUrl());
    }

    @Test
    void everyPortAndTheDataDirectoryCanBeOverridden() {
        StackSettings settings = StackSettings.fromEnvironment(root, Map.of("STACK_GATEWAY_PORT", "9000",
                "STACK_POSTGRES_PORT", "25432", "STACK_DATA_DIR", "/var/tmp/stack",
                "STACK_POSTGRES_URL", "postgresql://db:5432"));
        assertEquals(9000, settings.gatewayPort());
        assertEquals(25432, settings.postgresPort());
        assertEquals(Path.of("/var/tmp/stack"), settings.dataDirectory());
        assertEquals("postgresql://db:5432", settings.externalPostgresUrl());
    }

    @Test
    void aBadPortIsAClearError() {
        var error = assertThrows(IllegalArgumentException.class,
                () -> StackSettings.fromEnvironment(root, Map.of("STACK_KAFKA_PORT", "90000")));
        assertTrue(error.getMessage().contains("STACK_KAFKA_PORT"), error.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> StackSettings.fromEnvironment(root, Map.of("STACK_AUDIT_PORT", "http")));
    }

    @Test
    void aPortSomethingListensOnIsReportedWithTheVariableThatMovesIt() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            int free;
            try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                free = probe.getLocalPort();
            }
            StackSettings settings = StackSettings.fromEnvironment(root, Map.of(
                    "STACK_GATEWAY_PORT", Integer.toString(taken.getLocalPort()),
                    "STACK_MEMBERSHIP_PORT", Integer.toString(free), "STACK_GROUP_SYNC_PORT", Integer.toString(free),
                    "STACK_AUDIT_PORT", Integer.toString(free), "STACK_KAFKA_PORT", Integer.toString(free),
                    "STACK_KAFKA_CONTROLLER_PORT", Integer.toString(free), "STACK_POSTGRES_PORT", Integer.toString(free)));
            assertEquals(java.util.List.of(taken.getLocalPort() + " (STACK_GATEWAY_PORT)"), settings.portsInUse());
        }
    }

    @Test
    void anExistingPostgresUrlIsReadWithOrWithoutJdbcPrefix() {
        assertEquals("jdbc:postgresql://db.internal:6543/membership",
                new ExternalPostgres("jdbc:postgresql://db.internal:6543/postgres", "u", "p").jdbcUrl("membership"));
        assertEquals("postgresql://db.internal:5432/audit",
                new ExternalPostgres("postgresql://db.internal", "u", "p").reactiveUrl("audit"));
        assertThrows(IllegalArgumentException.class, () -> new ExternalPostgres("db.internal:5432", "u", "p"));
    }

    @Test
    void secretsAreCreatedOnceAndKept() throws Exception {
        Path file = Files.createTempDirectory("secrets").resolve("secrets.properties");
        StackSecrets first = StackSecrets.loadOrCreate(file);
        StackSecrets second = StackSecrets.loadOrCreate(file);
        assertEquals(first, second);
        assertTrue(first.scimToken().matches("scim_[0-9a-f]{12}_[A-Za-z0-9_-]{43}"), first.scimToken());
        assertTrue(first.adminToken().startsWith("adm_"));
    }

    /** A data directory from before the audit chain was keyed keeps its tokens and gets a key once. */
    @Test
    void anOlderSecretsFileGetsAnAuditChainKeyAndKeepsItsTokens() throws Exception {
        Path file = Files.createTempDirectory("secrets").resolve("secrets.properties");
        Files.writeString(file, "scim-token=scim_0123456789ab_old\nadmin-token=adm_old\n");

        StackSecrets upgraded = StackSecrets.loadOrCreate(file);

        assertEquals("scim_0123456789ab_old", upgraded.scimToken());
        assertEquals("adm_old", upgraded.adminToken());
        assertTrue(upgraded.auditChainKey().length() >= 32, upgraded.auditChainKey());
        assertEquals(upgraded, StackSecrets.loadOrCreate(file));
    }
}
