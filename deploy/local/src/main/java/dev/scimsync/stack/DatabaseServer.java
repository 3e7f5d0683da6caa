package dev.scimsync.stack;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** Where the services' databases live: the embedded server or an existing one. */
public interface DatabaseServer extends AutoCloseable {

    String jdbcUrl(String database);

    String reactiveUrl(String database);

    String user();

    String password();

    void createDatabaseIfMissing(String database) throws SQLException;

    /**
     * Creates the login role unless it exists and sets its password: a service's runtime role, which the service's
     * migrations (run as {@link #user()}) grant what it needs.
     */
    default void ensureLoginRole(String role, String password) throws SQLException {
        if (!role.matches("[a-z][a-z0-9_]*") || !password.matches("[A-Za-z0-9_-]+")) {
            throw new IllegalArgumentException("not a plain role name or generated password: " + role);
        }
        try (Connection connection = java.sql.DriverManager.getConnection(jdbcUrl("postgres"), user(), password());
                Statement statement = connection.createStatement()) {
            statement.execute("do $$ begin if not exists (select from pg_roles where rolname = '" + role + "') then "
                    + "create role " + role + " login; end if; end $$");
            statement.execute("alter role " + role + " password '" + password + "'");
        }
    }

    /** Stops the server if this stack started it; an existing server is left running. */
    @Override
    void close() throws Exception;

    /** Creates the database unless it exists; each service owns one. */
    static void createIfMissing(Connection connection, String database) throws SQLException {
        if (!database.matches("[a-z][a-z0-9_]*")) {
            throw new IllegalArgumentException("not a plain database name: " + database);
        }
        try (PreparedStatement exists = connection.prepareStatement("select 1 from pg_database where datname = ?")) {
            exists.setString(1, database);
            try (ResultSet rows = exists.executeQuery()) {
                if (rows.next()) {
                    return;
                }
            }
        }
        try (Statement create = connection.createStatement()) {
            create.execute("create database " + database);
        }
    }
}
