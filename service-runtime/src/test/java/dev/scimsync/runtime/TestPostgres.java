package dev.scimsync.runtime;

import dev.scimsync.stack.PostgresServer;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.PgBuilder;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgConnectOptions;

/** A real PostgreSQL for this module's tests, started from the jar, with a reactive pool on it. */
final class TestPostgres implements AutoCloseable {

    private final PostgresServer server;
    private final Vertx vertx;
    final Pool pool;

    private TestPostgres(PostgresServer server, Vertx vertx, Pool pool) {
        this.server = server;
        this.vertx = vertx;
        this.pool = pool;
    }

    static TestPostgres start() throws Exception {
        PostgresServer server = PostgresServer.start(null, 0);
        Vertx vertx = Vertx.vertx();
        Pool pool = PgBuilder.pool().connectingTo(new PgConnectOptions().setHost("localhost").setPort(server.port())
                .setDatabase("postgres").setUser(server.user()).setPassword(server.password())).using(vertx).build();
        return new TestPostgres(server, vertx, pool);
    }

    @Override
    public void close() throws Exception {
        pool.closeAndAwait();
        vertx.closeAndAwait();
        server.close();
    }
}
