package dev.scimsync.groupsync.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.scimsync.contracts.ContractJson;
import dev.scimsync.contracts.query.Criterion;
import dev.scimsync.contracts.query.Criterion.Operator;
import dev.scimsync.contracts.query.Field;
import dev.scimsync.contracts.query.Field.Source;
import dev.scimsync.contracts.query.Field.ValueType;
import dev.scimsync.contracts.query.ResourceQuery;
import dev.scimsync.groupsync.FakeMembership;
import dev.scimsync.runtime.BoundedQueries;
import dev.scimsync.testsupport.InfrastructureTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * The groups' queries whose cost a SCIM client chooses run as the users' do ({@link BoundedQueries}): in their turn
 * and within their time, while the lookup of one group by displayName or id - the IdPs' before a push - takes no
 * turn.
 */
@QuarkusTest
@QuarkusTestResource(InfrastructureTestResource.class)
@QuarkusTestResource(FakeMembership.class)
class CostlyGroupQueriesTest {

    private static final Field DISPLAY_NAME = Field.column(Source.DISPLAY_NAME, ValueType.STRING, false);

    @Inject
    BoundedQueries queries;

    @Inject
    Pool database;

    @ConfigProperty(name = "groups.queries.at-once")
    int atOnce;

    @ConfigProperty(name = "groups.queries.waiting")
    int waiting;

    @ConfigProperty(name = "groups.queries.timeout")
    Duration timeout;

    @Test
    void whileTheTurnsAreTakenACostlyFilterIs429AndALookupOfOneGroupIsAnswered() throws Exception {
        String connection = UUID.randomUUID().toString();
        double seconds = Math.min(1.5, timeout.toMillis() / 2000.0);
        List<CompletableFuture<Integer>> taken = new ArrayList<>();
        for (int i = 0; i < atOnce + waiting; i++) {
            taken.add(queries.run(UUID.randomUUID().toString(), sql -> sql.query("select 1 from pg_sleep(" + seconds
                    + ")").execute().map(rows -> rows.size())).subscribeAsCompletionStage());
        }
        Thread.sleep(300);

        query(connection, new Criterion.Compare(DISPLAY_NAME, Operator.CONTAINS, "x")).statusCode(429)
                .body("detail", containsString("costly queries"));
        query(connection, new Criterion.Compare(DISPLAY_NAME, Operator.EQ, "acme:developers")).statusCode(200);
        query(connection, new Criterion.All(List.of(
                new Criterion.Compare(Field.column(Source.ID, ValueType.STRING, true), Operator.EQ,
                        UUID.randomUUID().toString()),
                new Criterion.Compare(Field.column(Source.MEMBER, ValueType.STRING, true), Operator.EQ,
                        UUID.randomUUID().toString())))).statusCode(200);

        for (CompletableFuture<Integer> query : taken) {
            assertEquals(1, query.get(30, TimeUnit.SECONDS), "every query that waited for its turn ran");
        }
    }

    /** 200 comparisons over 100,000 groups run for many seconds: cancelled at the timeout, answered 422. */
    @Test
    void aFilterThatRunsPastItsTimeIsCancelledAnd422() {
        String connection = UUID.randomUUID().toString();
        database.preparedQuery("insert into scim_group (id, connection_id, display_name, member_count, version, "
                        + "created_at, last_modified) select gen_random_uuid(), $1, 'Group number ' || n, 0, 1, now(), "
                        + "now() from generate_series(1, 100000) n")
                .execute(Tuple.of(connection)).await().atMost(Duration.ofMinutes(1));
        try {
            Criterion costly = new Criterion.Any(IntStream.range(0, 200)
                    .<Criterion>mapToObj(i -> new Criterion.Compare(DISPLAY_NAME, Operator.CONTAINS, "q" + i + "z"))
                    .toList());
            long started = System.nanoTime();
            query(connection, costly).statusCode(422).body("detail", containsString("the most a query may take"));
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            org.junit.jupiter.api.Assertions.assertTrue(took.compareTo(timeout.plusSeconds(5)) < 0, took.toString());
        } finally {
            database.preparedQuery("delete from scim_group where connection_id = $1").execute(Tuple.of(connection))
                    .await().atMost(Duration.ofMinutes(1));
        }
    }

    /**
     * Filters the gateway translates to SQL that reads no column: {@code meta.resourceType eq "Group"} holds for
     * every group (an empty All), {@code eq "User"} for none (an empty Any) - both once rendered as {@code ()}, a
     * syntax error answered 500 and retried by the IdP for ever; {@code externalId eq null} is "absent", as for
     * users; {@code id eq} finds the group by its key in any case, as {@code GET /Groups/{id}} does.
     */
    @Test
    void filtersOfNoColumnOfNullAndOfAnIdInUpperCaseRunAsTheUsersDo() {
        String connection = UUID.randomUUID().toString();
        UUID id = UUID.randomUUID();
        database.preparedQuery("insert into scim_group (id, connection_id, display_name, member_count, version, "
                        + "created_at, last_modified) values ($1, $2, 'acme:web', 0, 1, now(), now())")
                .execute(Tuple.of(id, connection)).await().atMost(Duration.ofSeconds(10));
        Field externalId = Field.column(Source.EXTERNAL_ID, ValueType.STRING, true);
        Field groupId = Field.column(Source.ID, ValueType.STRING, true);

        query(connection, new Criterion.All(List.of())).statusCode(200).body("total", org.hamcrest.Matchers.is(1));
        query(connection, new Criterion.Any(List.of())).statusCode(200).body("total", org.hamcrest.Matchers.is(0));
        query(connection, new Criterion.Not(new Criterion.Any(List.of()))).statusCode(200)
                .body("total", org.hamcrest.Matchers.is(1));
        query(connection, new Criterion.Compare(externalId, Operator.EQ, null)).statusCode(200)
                .body("total", org.hamcrest.Matchers.is(1));
        query(connection, new Criterion.Compare(externalId, Operator.NE, null)).statusCode(200)
                .body("total", org.hamcrest.Matchers.is(0));
        query(connection, new Criterion.Compare(groupId, Operator.EQ, id.toString().toUpperCase())).statusCode(200)
                .body("total", org.hamcrest.Matchers.is(1));
        query(connection, new Criterion.Compare(groupId, Operator.EQ, "not-a-uuid")).statusCode(200)
                .body("total", org.hamcrest.Matchers.is(0));
        query(connection, new Criterion.Compare(groupId, Operator.NE, id.toString())).statusCode(200)
                .body("total", org.hamcrest.Matchers.is(0));
    }

    private static io.restassured.response.ValidatableResponse query(String connection, Criterion filter) {
        return given().contentType(ContentType.JSON)
                .body(ContractJson.write(new ResourceQuery(filter, null, false, 1, 10, null)))
                .post("/internal/v1/connections/{c}/groups/query", connection).then();
    }
}
