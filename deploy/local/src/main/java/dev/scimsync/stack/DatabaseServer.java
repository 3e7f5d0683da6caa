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
