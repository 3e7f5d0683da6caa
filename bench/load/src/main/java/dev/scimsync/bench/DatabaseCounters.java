package dev.scimsync.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * PostgreSQL's own counters, read from the {@code postgres} database: statements executed in the services'
 * databases ({@code pg_stat_statements}: calls, summed over all statements of those databases - the view
 * shows every database's statements wherever the extension is created) and WAL writes and flushes
 * ({@code pg_stat_wal}, whole server). Snapshots, so nothing is reset for anyone else. The benchmark's own
 * statements (these reads, the ceiling's table) are left out by their text. Without pg_stat_statements
 * loaded (an existing server not started with {@code shared_preload_libraries=pg_stat_statements}) the
 * statements read "n/a"; nothing fails.
 */
final class DatabaseCounters {

    /** The services' databases (deploy/local LocalStack). */
    static final List<String> SERVICE_DATABASES = List.of("membership", "groupsync", "audit");

    /** One statement's calls, by database and normalized text. */
    record StatementCalls(String database, String query, double calls) {
    }

    /** What the server had counted at one moment; {@code statements} is null when not available. */
    record Snapshot(Map<String, StatementCalls> statements, long deallocations, Map<String, Double> wal) {
    }

    private final String url;
    private final String user;
    private final String password;
    /** Why statements are not counted, or null when they are. */
    final String statementsUnavailable;

    DatabaseCounters(String postgresDatabaseUrl, String user, String password) {
        this.url = postgresDatabaseUrl;
        this.user = user;
        this.password = password;
        this.statementsUnavailable = prepare();
    }

    private String prepare() {
        try (Connection connection = connect(); java.sql.Statement statement = connection.createStatement()) {
            try (ResultSet preload = statement.executeQuery("select current_setting('shared_preload_libraries')")) {
                preload.next();
                if (!preload.getString(1).contains("pg_stat_statements")) {
                    return "pg_stat_statements is not in shared_preload_libraries";
                }
            }
            statement.execute("create extension if not exists pg_stat_statements");
            statement.executeQuery("select count(*) from pg_stat_statements").close();
            return null;
        } catch (SQLException e) {
            return "pg_stat_statements unavailable: " + e.getMessage();
        }
    }

    /** The postmaster's pid, when the server's data directory is on this machine (postmaster.pid). */
    java.util.Optional<Long> postmasterPid() {
        try (Connection connection = connect(); java.sql.Statement sql = connection.createStatement();
                ResultSet row = sql.executeQuery("select current_setting('data_directory')")) {
            row.next();
            java.nio.file.Path pidFile = java.nio.file.Path.of(row.getString(1), "postmaster.pid");
            long pid = Long.parseLong(java.nio.file.Files.readAllLines(pidFile).get(0).trim());
            return ProcessHandle.of(pid).map(ProcessHandle::pid);
        } catch (Exception notHere) {
            return java.util.Optional.empty();
        }
    }

    private Connection connect() throws SQLException {
        Connection connection = DriverManager.getConnection(url, user, password);
        connection.setAutoCommit(true);
        return connection;
    }

    Snapshot snapshot() {
        Map<String, StatementCalls> statements = null;
        long deallocations = 0;
        Map<String, Double> wal = new LinkedHashMap<>();
        try (Connection connection = connect(); java.sql.Statement sql = connection.createStatement()) {
            if (statementsUnavailable == null) {
                statements = new LinkedHashMap<>();
                String databases = SERVICE_DATABASES.stream().map(d -> "'" + d + "'").collect(Collectors.joining(","));
                try (ResultSet rows = sql.executeQuery("select d.datname, s.userid, s.queryid, s.toplevel, s.calls, "
                        + "s.query from pg_stat_statements s join pg_database d on d.oid = s.dbid "
                        + "where d.datname in (" + databases + ")")) {
                    while (rows.next()) {
                        String query = rows.getString(6);
                        if (isBenchmarks(query)) {
                            continue;
                        }
                        String key = rows.getString(1) + "|" + rows.getLong(2) + "|" + rows.getLong(3) + "|"
                                + rows.getBoolean(4);
                        statements.put(key, new StatementCalls(rows.getString(1), query, rows.getLong(5)));
                    }
                }
                try (ResultSet info = sql.executeQuery("select dealloc from pg_stat_statements_info")) {
                    deallocations = info.next() ? info.getLong(1) : 0;
                } catch (SQLException olderThan14) {
                    deallocations = 0;
                }
            }
            try (ResultSet rows = sql.executeQuery(
                    "select wal_records, wal_fpi, wal_bytes, wal_buffers_full, wal_write, wal_sync from pg_stat_wal")) {
                if (rows.next()) {
                    for (String column : List.of("wal_records", "wal_fpi", "wal_bytes", "wal_buffers_full",
                            "wal_write", "wal_sync")) {
                        wal.put(column, rows.getDouble(column));
                    }
                }
            } catch (SQLException olderThan14) {
                // no pg_stat_wal: WAL figures read n/a
            }
        } catch (SQLException e) {
            System.err.println("[bench] reading PostgreSQL's counters failed: " + e.getMessage());
        }
        return new Snapshot(statements, deallocations, wal);
    }

    /** The benchmark's own statements: the ceiling's inserts and table, and its reads of the counters. */
    static boolean isBenchmarks(String query) {
        String text = query.toLowerCase(Locale.ROOT);
        return text.contains("bench_ceiling") || text.contains("pg_stat_statements") || text.contains("pg_stat_wal");
    }

    /** Transaction control: statements a create pays for without touching a row. */
    static boolean isTransactionControl(String query) {
        String text = query.strip().toLowerCase(Locale.ROOT);
        return text.startsWith("begin") || text.startsWith("commit") || text.startsWith("rollback")
                || text.startsWith("start transaction") || text.startsWith("savepoint") || text.startsWith("release");
    }

    /** Calls between two snapshots, by statement; null when statements are not counted. */
    static Map<String, StatementCalls> delta(Snapshot before, Snapshot after) {
        if (before.statements() == null || after.statements() == null) {
            return null;
        }
        Map<String, Double> was = new LinkedHashMap<>();
        before.statements().forEach((key, statement) -> was.put(key, statement.calls()));
        Map<String, Double> now = new LinkedHashMap<>();
        after.statements().forEach((key, statement) -> now.put(key, statement.calls()));
        Map<String, StatementCalls> moved = new LinkedHashMap<>();
        Deltas.of(was, now).forEach((key, calls) -> {
            if (calls > 0) {
                StatementCalls statement = after.statements().get(key);
                moved.put(key, new StatementCalls(statement.database(), statement.query(), calls));
            }
        });
        return moved;
    }

    /** Total calls in the service databases between two snapshots, or null. */
    static Double totalCalls(Map<String, StatementCalls> delta) {
        return delta == null ? null : delta.values().stream().mapToDouble(StatementCalls::calls).sum();
    }
}
