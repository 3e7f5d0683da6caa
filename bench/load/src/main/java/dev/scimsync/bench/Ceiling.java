package dev.scimsync.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The ceiling a create cannot beat: single-row transactional inserts (autocommit, synchronous commit) of an
 * account-shaped row, by as many JDBC clients as the benchmark's SCIM clients, into the same PostgreSQL
 * database membership-service writes to. Our creates do more (a command, an outcome, a member, an outbox
 * row, the audit record), so the ratio says how much of the database's capacity a create costs.
 */
final class Ceiling {

    private Ceiling() {
    }

    /** @param url the JDBC URL of membership-service's database */
    static double insertsPerSecond(String url, String user, String password, int clients, Duration duration)
            throws Exception {
        try (Connection setup = DriverManager.getConnection(url, user, password);
                Statement statement = setup.createStatement()) {
            statement.execute("drop table if exists bench_ceiling");
            statement.execute("create table bench_ceiling (id uuid primary key, user_name text not null, "
                    + "attributes jsonb not null, created_at timestamptz not null)");
            statement.execute("create unique index bench_ceiling_user_name on bench_ceiling (lower(user_name))");
        }
        AtomicLong inserted = new AtomicLong();
        long end = System.nanoTime() + duration.toNanos();
        Thread[] threads = new Thread[clients];
        for (int c = 0; c < clients; c++) {
            threads[c] = new Thread(() -> {
                try (Connection connection = DriverManager.getConnection(url, user, password);
                        PreparedStatement insert = connection.prepareStatement("insert into bench_ceiling "
                                + "(id, user_name, attributes, created_at) values (?, ?, ?::jsonb, now())")) {
                    connection.setAutoCommit(true);
                    while (System.nanoTime() < end) {
                        UUID id = UUID.randomUUID();
                        insert.setObject(1, id);
                        insert.setString(2, id + "@ceiling.test");
                        insert.setString(3, "{\"name\":{\"givenName\":\"Bench\",\"familyName\":\"User\"}}");
                        insert.executeUpdate();
                        inserted.incrementAndGet();
                    }
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            }, "ceiling-" + c);
            threads[c].start();
        }
        long start = System.nanoTime();
        for (Thread thread : threads) {
            thread.join();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        try (Connection cleanup = DriverManager.getConnection(url, user, password);
                Statement statement = cleanup.createStatement()) {
            statement.execute("drop table bench_ceiling");
        }
        return inserted.get() / seconds;
    }
}
