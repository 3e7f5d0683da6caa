package dev.scimsync.testsupport;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A database outage as its clients see it, while the server keeps running: every client connection to the
 * database is cut, and new ones are refused ("database is not currently accepting connections"), until
 * {@link #close()}. Replication connections (an outbox relay's) are left alone.
 */
public final class DatabaseOutage implements AutoCloseable {

    private final Connection admin;
    private final String database;

    private DatabaseOutage(Connection admin, String database) {
        this.admin = admin;
        this.database = database;
    }

    /**
     * Begins the outage of the database {@code jdbcUrl} names, as the superuser given; the outage is begun and
     * ended over a connection to {@code template1} (PostgreSQL refuses to close the database it is used from).
     */
    public static DatabaseOutage begin(String jdbcUrl, String user, String password) throws SQLException {
        int path = jdbcUrl.indexOf('/', "jdbc:postgresql://".length());
        int query = jdbcUrl.indexOf('?', path);
        String database = jdbcUrl.substring(path + 1, query < 0 ? jdbcUrl.length() : query);
        Connection admin = DriverManager.getConnection(jdbcUrl.substring(0, path + 1) + "template1"
                + (query < 0 ? "" : jdbcUrl.substring(query)), user, password);
        try (Statement statement = admin.createStatement();
                PreparedStatement terminate = admin.prepareStatement("select pg_terminate_backend(pid) from"
                        + " pg_stat_activity where datname = ? and backend_type = 'client backend'")) {
            statement.execute("alter database " + quoted(database) + " with allow_connections false");
            terminate.setString(1, database);
            terminate.execute();
        } catch (SQLException e) {
            admin.close();
            throw e;
        }
        return new DatabaseOutage(admin, database);
    }

    private static String quoted(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    /** Ends the outage: the database accepts connections again. Closes the admin connection. */
    @Override
    public void close() throws SQLException {
        try (Statement statement = admin.createStatement()) {
            statement.execute("alter database " + quoted(database) + " with allow_connections true");
        } finally {
            admin.close();
        }
    }
}
