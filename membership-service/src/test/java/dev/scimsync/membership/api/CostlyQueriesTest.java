package dev.scimsync.membership.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scimsync.contracts.ContractJson;
import dev.scimsync.contracts.query.Criterion;
import dev.scimsync.contracts.query.Criterion.Operator;
import dev.scimsync.contracts.query.Field;
import dev.scimsync.contracts.query.Field.Source;
import dev.scimsync.contracts.query.Field.ValueType;
import dev.scimsync.contracts.query.ResourceQuery;
import dev.scimsync.runtime.BoundedQueries;
import dev.scimsync.testsupport.InfrastructureTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * The users' queries whose cost a SCIM client chooses ({@link BoundedQueries}): a few at a time, each within its
 * statement timeout, and never at the expense of the connections the commands and the userName lookups need.
 */
@QuarkusTest
@QuarkusTestResource(InfrastructureTestResource.class)
class CostlyQueriesTest {

    private static final Field USER_NAME = Field.column(Source.USER_NAME, ValueType.STRING, false);

    @Inject
    BoundedQueries queries;

    @Inject
    Pool database;

    @ConfigProperty(name = "membership.queries.at-once")
    int atOnce;

    @ConfigProperty(name = "membership.queries.waiting")
    int waiting;

    @ConfigProperty(name = "membership.queries.per-connection")
    int perConnection;

    @ConfigProperty(name = "membership.queries.timeout")
    Duration timeout;

    @Test
    void aQueryLongerThanItsTimeoutIsCancelledByPostgreSql() {
        long started = System.nanoTime();
        ExecutionException failed = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> queries.run(UUID.randomUUID().toString(), client -> client.query("select pg_sleep(60)").execute())
                        .subscribeAsCompletionStage()
                        .get(30, TimeUnit.SECONDS));
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertInstanceOf(BoundedQueries.TooSlow.class, failed.getCause());
        assertTrue(took.compareTo(timeout) >= 0 && took.compareTo(timeout.plusSeconds(5)) < 0, took.toString());
    }

    /**
     * While as many queries as may run and wait are taken, one more is refused at once - over the API a 429 - and
     * the rest of the service goes on: the pool still has connections for commands, and the IdP's userName lookup
     * does not take a turn.
     */
    @Test
    void pastTheQueriesThatRunAndWaitOneMoreIsRefusedAtOnceWhileLookupsAndCommandsGoOn() throws Exception {
        String connection = given().contentType(ContentType.JSON)
                .body(Map.of("token", "scim_0123456789ab_test-secret-0123456789abcdef"))
                .post("/internal/v1/scim-tokens/verify").then().statusCode(200).extract().path("connectionId");
        double seconds = Math.min(1.5, timeout.toMillis() / 2000.0);
        List<CompletableFuture<Integer>> taken = new ArrayList<>();
        for (int i = 0; i < atOnce + waiting; i++) {
            taken.add(sleep(UUID.randomUUID().toString(), seconds));
        }
        Thread.sleep(300);

        long started = System.nanoTime();
        ExecutionException refused = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> queries.run(UUID.randomUUID().toString(), client -> client.query("select 1").execute())
                        .subscribeAsCompletionStage().get(10, TimeUnit.SECONDS));
        assertInstanceOf(BoundedQueries.Busy.class, refused.getCause());
        assertTrue(Duration.ofNanos(System.nanoTime() - started).toMillis() < 1000, "refused at once");

        given().contentType(ContentType.JSON).body(query(new Criterion.Compare(USER_NAME, Operator.CONTAINS, "x")))
                .post("/internal/v1/connections/{c}/users/query", connection).then().statusCode(429)
                .body("detail", containsString("costly queries"));
        given().contentType(ContentType.JSON).body(query(new Criterion.Compare(USER_NAME, Operator.EQ, "nobody@x.test")))
                .post("/internal/v1/connections/{c}/users/query", connection).then().statusCode(200);
        long commandStarted = System.nanoTime();
        assertEquals(1, database.query("select 1").execute().await().atMost(Duration.ofSeconds(5)).size());
        assertTrue(Duration.ofNanos(System.nanoTime() - commandStarted).toMillis() < 1000,
                "a statement outside the costly queries found a connection at once");

        for (CompletableFuture<Integer> query : taken) {
            assertEquals(1, query.get(30, TimeUnit.SECONDS), "every query that waited for its turn ran");
        }
    }

    /**
     * One connection holds at most its share of the turns: past it its next query is refused at once - over the API
     * a 429 - while another connection's runs, and the share is given back as its queries end, however they end.
     */
    @Test
    void oneConnectionHoldsAtMostItsShareOfTheTurns() throws Exception {
        String greedy = UUID.randomUUID().toString();
        double seconds = Math.min(1.5, timeout.toMillis() / 2000.0);
        List<CompletableFuture<Integer>> share = new ArrayList<>();
        for (int i = 0; i < perConnection; i++) {
            share.add(sleep(greedy, seconds));
        }
        Thread.sleep(300);

        ExecutionException refused = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> sleep(greedy, 0).get(1, TimeUnit.SECONDS));
        assertInstanceOf(BoundedQueries.Busy.class, refused.getCause());
        assertTrue(refused.getCause().getMessage().contains("one connection"), refused.getCause().getMessage());
        given().contentType(ContentType.JSON).body(query(new Criterion.Compare(USER_NAME, Operator.CONTAINS, "x")))
                .post("/internal/v1/connections/{c}/users/query", greedy).then().statusCode(429)
                .body("detail", containsString("one connection"));
        assertEquals(1, sleep(UUID.randomUUID().toString(), 0).get(1, TimeUnit.SECONDS), "another connection's query runs");

        for (CompletableFuture<Integer> query : share) {
            assertEquals(1, query.get(30, TimeUnit.SECONDS));
        }
        assertEquals(1, sleep(greedy, 0).get(5, TimeUnit.SECONDS), "its turns given back");
        ExecutionException cancelled = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> queries.run(greedy, client -> client.query("select pg_sleep(60)").execute())
                        .subscribeAsCompletionStage().get(30, TimeUnit.SECONDS));
        assertInstanceOf(BoundedQueries.TooSlow.class, cancelled.getCause());
        for (int i = 0; i < perConnection; i++) {
            assertEquals(1, sleep(greedy, 0).get(5, TimeUnit.SECONDS), "a cancelled query gives its turn back too");
        }
    }

    private CompletableFuture<Integer> sleep(String connection, double seconds) {
        return queries.run(connection, client -> client.query("select 1 from pg_sleep(" + seconds + ")").execute()
                .map(rows -> rows.size())).subscribeAsCompletionStage();
    }

    private static String query(Criterion filter) {
        return new String(ContractJson.write(new ResourceQuery(filter, null, false, 1, 10, null)));
    }
}
