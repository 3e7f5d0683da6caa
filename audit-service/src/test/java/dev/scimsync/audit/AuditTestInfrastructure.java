package dev.scimsync.audit;

import dev.scimsync.testsupport.InfrastructureTestResource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * The test infrastructure with audit-service's two database roles, as production has them: Flyway migrates as
 * the superuser that owns the tables, and the service runs as {@value #RUNTIME_ROLE}, which may only read and
 * append. Tests that play an insider with the owner's rights connect with {@link #asOwner()}.
 */
public class AuditTestInfrastructure extends InfrastructureTestResource {

    static final String RUNTIME_ROLE = "audit_runtime";
    private static final String RUNTIME_PASSWORD = "audit-runtime-test";

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new java.util.HashMap<>(super.start());
        try (Connection owner = DriverManager.getConnection(postgres().jdbcUrl("postgres"), postgres().user(),
                postgres().password()); Statement statement = owner.createStatement()) {
            statement.execute("create role " + RUNTIME_ROLE + " login password '" + RUNTIME_PASSWORD + "'");
        } catch (SQLException e) {
            stop();
            throw new IllegalStateException("could not create the runtime role", e);
        }
        config.put("quarkus.flyway.username", postgres().user());
        config.put("quarkus.flyway.password", postgres().password());
        config.put("quarkus.datasource.username", RUNTIME_ROLE);
        config.put("quarkus.datasource.password", RUNTIME_PASSWORD);
        return config;
    }

    /** A connection with the owner's rights: the migration role, or an insider who has its password. */
    static Connection asOwner() throws SQLException {
        Config config = ConfigProvider.getConfig();
        return DriverManager.getConnection(config.getValue("quarkus.datasource.jdbc.url", String.class),
                config.getValue("quarkus.flyway.username", String.class),
                config.getValue("quarkus.flyway.password", String.class));
    }

    /** A connection as the service's runtime role: what a stolen runtime password gives. */
    static Connection asRuntimeRole() throws SQLException {
        Config config = ConfigProvider.getConfig();
        return DriverManager.getConnection(config.getValue("quarkus.datasource.jdbc.url", String.class),
                config.getValue("quarkus.datasource.username", String.class),
                config.getValue("quarkus.datasource.password", String.class));
    }
}
