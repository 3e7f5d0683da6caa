package dev.scimsync.stack;

import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/**
 * A PostgreSQL server that already runs, given as {@code postgresql://host:port}. The stack creates the
 * services' databases in it and never stops it. For Debezium it needs {@code wal_level=logical}.
 */
final class ExternalPostgres implements DatabaseServer {

    private final String hostAndPort;
    private final String user;
    private final String password;

    ExternalPostgres(String url, String user, String password) {
        URI uri = URI.create(url.startsWith("jdbc:") ? url.substring(5) : url);
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("expected postgresql://host:port, got " + url);
        }
        this.hostAndPort = uri.getHost() + ":" + (uri.getPort() > 0 ? uri.getPort() : 5432);
        this.user = user;
        this.password = password;
    }

    @Override
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://" + hostAndPort + "/" + database;
    }

    @Override
    public String reactiveUrl(String database) {
        return "postgresql://" + hostAndPort + "/" + database;
    }

    @Override
    public String user() {
        return user;
    }

    @Override
    public String password() {
        return password;
    }

    @Override
    public void createDatabaseIfMissing(String database) throws SQLException {
        try (Connection connection = DriverManager.getConnection(jdbcUrl("postgres"), user, password)) {
            DatabaseServer.createIfMissing(connection, database);
        }
    }

    @Override
    public void close() {
        // not ours to stop
    }
}
