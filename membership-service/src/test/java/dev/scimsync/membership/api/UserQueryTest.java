package dev.scimsync.membership.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scimsync.contracts.CommandOrigin;
import dev.scimsync.contracts.ContractJson;
import dev.scimsync.contracts.UserCommand;
import dev.scimsync.contracts.UserProfile;
import dev.scimsync.contracts.query.Criterion;
import dev.scimsync.contracts.query.Criterion.Operator;
import dev.scimsync.contracts.query.Field;
import dev.scimsync.contracts.query.Field.Source;
import dev.scimsync.contracts.query.Field.ValueType;
import dev.scimsync.contracts.query.ResourceQuery;
import dev.scimsync.contracts.query.UserNameLookups;
import dev.scimsync.testsupport.InfrastructureTestResource;
import dev.scimsync.testsupport.KafkaTestClient;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import dev.scimsync.membership.persistence.UserQuerySql;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Filters, sorting and paging run as SQL on the real PostgreSQL. */
@QuarkusTest
@QuarkusTestResource(InfrastructureTestResource.class)
class UserQueryTest {

    private static String connection;

    @Inject
    Pool database;

    /**
     * Once, before the first test; not in a static @BeforeAll, which runs before RestAssured knows the
     * test port Quarkus picked.
     */
    @BeforeEach
    void users() throws Exception {
        if (connection != null) {
            return;
        }
        connection = given().contentType(ContentType.JSON)
                .body(Map.of("token", "scim_0123456789ab_test-secret-0123456789abcdef"))
                .post("/internal/v1/scim-tokens/verify").then().extract().path("connectionId");
        KafkaTestClient kafka = KafkaTestClient.forQuarkusTest();
        create(kafka, "q-ada@acme.test", true, """
                {"name":{"givenName":"Ada","familyName":"Lovelace"},"title":"Countess","score":7,
                 "emails":[{"value":"ada@acme.test","type":"work","primary":true},{"value":"ada@home.test","type":"home"}],
                 "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"department":"Analytical Engines"}}""");
        create(kafka, "q-grace@navy.test", false, """
                {"name":{"givenName":"Grace","familyName":"Hopper"},"score":9,
                 "emails":[{"value":"grace@navy.test","type":"work"}]}""");
        create(kafka, "q-linus@acme.test", true, """
                {"name":{"givenName":"Linus","familyName":"Torvalds"},"title":"","emails":[]}""");
    }

    private static void create(KafkaTestClient kafka, String userName, boolean active, String attributes) throws Exception {
        UserCommand command = UserCommand.create(connection, new UserProfile(userName, "ext-" + userName, active,
                (ObjectNode) ContractJson.mapper().readTree(attributes)), new CommandOrigin(null, null, null, null));
        kafka.apply(command);
    }

    private static final Field USER_NAME = Field.column(Source.USER_NAME, ValueType.STRING, false);
    private static final Criterion ONLY_THESE = new Criterion.Compare(USER_NAME, Operator.STARTS_WITH, "q-");

    private static ValidatableResponse query(Criterion filter, Field sortBy, boolean descending, int start, int count) {
        Criterion scoped = filter == null ? ONLY_THESE : new Criterion.All(List.of(ONLY_THESE, filter));
        return given().contentType(ContentType.JSON).body(new String(ContractJson.write(
                        new ResourceQuery(scoped, sortBy, descending, start, count, null))))
                .post("/internal/v1/connections/{c}/users/query", connection).then();
    }

    private static ValidatableResponse query(Criterion filter) {
        return query(filter, USER_NAME, false, 1, 50);
    }

    private static Field attribute(ValueType type, String... path) {
        return Field.attribute(List.of(path), type, false);
    }

    @Test
    void userNameComparesWithoutCase() {
        query(new Criterion.Compare(USER_NAME, Operator.EQ, "Q-ADA@ACME.TEST")).statusCode(200)
                .body("total", equalTo(1)).body("users.profile.userName", contains("q-ada@acme.test"));
    }

    /** {@code id eq} finds the user by its key in any case, as {@code GET /Users/{id}} does. */
    @Test
    void anIdComparesAsTheKeyInAnyCase() {
        String id = query(new Criterion.Compare(USER_NAME, Operator.EQ, "q-ada@acme.test")).statusCode(200)
                .extract().path("users[0].id");
        Field byId = Field.column(Source.ID, ValueType.STRING, true);
        query(new Criterion.Compare(byId, Operator.EQ, id.toUpperCase())).statusCode(200).body("total", equalTo(1))
                .body("users.profile.userName", contains("q-ada@acme.test"));
        query(new Criterion.Compare(byId, Operator.NE, id.toUpperCase())).statusCode(200).body("total", equalTo(2));
        query(new Criterion.Compare(byId, Operator.EQ, "q-ada")).statusCode(200).body("total", equalTo(0));
        query(new Criterion.Compare(byId, Operator.NE, "q-ada")).statusCode(200).body("total", equalTo(3));
    }

    /** The lookup before a create reads one statement's page; its total is that page, found or not. */
    @Test
    void aLookupOfOneUserNameTellsItsTotalFromItsPage() {
        query(new Criterion.Compare(USER_NAME, Operator.EQ, "q-grace@navy.test"), null, false, 1, 1).statusCode(200)
                .body("total", equalTo(1)).body("more", equalTo(false))
                .body("users.profile.userName", contains("q-grace@navy.test"));
        query(new Criterion.Compare(USER_NAME, Operator.EQ, "q-nobody@acme.test"), null, false, 1, 1).statusCode(200)
                .body("total", equalTo(0)).body("users", empty());
        // Past its first page the count still tells the total.
        query(new Criterion.Compare(USER_NAME, Operator.EQ, "q-grace@navy.test"), null, false, 2, 1).statusCode(200)
                .body("total", equalTo(1)).body("users", empty());
    }

    @Test
    void userNameLookupsOfSeveralConnectionsAreAnsweredTogetherEachFromItsOwnConnection() {
        String another = UUID.randomUUID().toString();
        List<Map<String, Object>> found = given().contentType(ContentType.JSON).body(new String(ContractJson.write(
                        new UserNameLookups(List.of(
                                new UserNameLookups.Lookup(connection, "Q-GRACE@navy.test"),
                                new UserNameLookups.Lookup(connection, "q-nobody@acme.test"),
                                // Ada is this connection's user, not another's; an id that is none names no connection
                                new UserNameLookups.Lookup(another, "q-ada@acme.test"),
                                new UserNameLookups.Lookup("not-an-id", "q-ada@acme.test"),
                                new UserNameLookups.Lookup(connection, "q-ada@acme.test"),
                                new UserNameLookups.Lookup(connection, "q-grace@navy.test"))))))
                .post("/internal/v1/user-name-lookups").then().statusCode(200).extract().path("found");
        Map<Integer, String> byLookup = found.stream().collect(Collectors.toMap(f -> (Integer) f.get("lookup"),
                f -> (String) ((Map<?, ?>) ((Map<?, ?>) f.get("user")).get("profile")).get("userName")));
        assertEquals(Map.of(0, "q-grace@navy.test", 4, "q-ada@acme.test", 5, "q-grace@navy.test"), byLookup);

        given().contentType(ContentType.JSON).body("{\"lookups\":[]}").post("/internal/v1/user-name-lookups").then()
                .statusCode(400).body("detail", containsString("from 1 to " + UserNameLookups.MOST));
        List<UserNameLookups.Lookup> tooMany = java.util.Collections.nCopies(UserNameLookups.MOST + 1,
                new UserNameLookups.Lookup(connection, "q-ada@acme.test"));
        given().contentType(ContentType.JSON).body(new String(ContractJson.write(new UserNameLookups(tooMany))))
                .post("/internal/v1/user-name-lookups").then().statusCode(400);
        given().contentType(ContentType.JSON).body("{\"lookups\":[{\"connectionId\":\"" + connection + "\"}]}")
                .post("/internal/v1/user-name-lookups").then().statusCode(400).body("detail", containsString("userName"));
    }

    @Test
    void complexMultiValuedFiltersMatchWithinOneElement() {
        Criterion workAtAcme = new Criterion.AnyElement(attribute(ValueType.STRING, "emails"), new Criterion.All(List.of(
                new Criterion.Compare(Field.element(List.of("type"), ValueType.STRING, false), Operator.EQ, "work"),
                new Criterion.Compare(Field.element(List.of("value"), ValueType.STRING, false), Operator.CONTAINS,
                        "@ACME"))));
        query(workAtAcme).body("users.profile.userName", contains("q-ada@acme.test"));
        Criterion homeAtNavy = new Criterion.AnyElement(attribute(ValueType.STRING, "emails"), new Criterion.All(List.of(
                new Criterion.Compare(Field.element(List.of("type"), ValueType.STRING, false), Operator.EQ, "home"),
                new Criterion.Compare(Field.element(List.of("value"), ValueType.STRING, false), Operator.ENDS_WITH,
                        "navy.test"))));
        query(homeAtNavy).body("users", empty());
    }

    @Test
    void presenceIgnoresEmptyStringsAndEmptyArrays() {
        query(new Criterion.Present(attribute(ValueType.STRING, "title")))
                .body("users.profile.userName", contains("q-ada@acme.test"));
        query(new Criterion.Not(new Criterion.Present(attribute(ValueType.STRING, "emails"))))
                .body("users.profile.userName", contains("q-linus@acme.test"));
    }

    @Test
    void extensionAttributesBooleansAndNumbersCompareAsTheirTypes() {
        query(new Criterion.Compare(attribute(ValueType.STRING,
                "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User", "department"), Operator.STARTS_WITH, "analytical"))
                .body("users.profile.userName", contains("q-ada@acme.test"));
        query(new Criterion.Compare(Field.column(Source.ACTIVE, ValueType.BOOLEAN, false), Operator.EQ, false))
                .body("users.profile.userName", contains("q-grace@navy.test"));
        query(new Criterion.Compare(attribute(ValueType.NUMBER, "score"), Operator.GT, 8))
                .body("users.profile.userName", contains("q-grace@navy.test"));
        query(new Criterion.Compare(Field.column(Source.CREATED, ValueType.INSTANT, false), Operator.GT,
                "2015-10-10T14:38:21.8617979-07:00")).body("total", equalTo(3));
    }

    @Test
    void neMatchesAbsentValuesAndNotNegates() {
        query(new Criterion.Compare(attribute(ValueType.STRING, "title"), Operator.NE, "countess"))
                .body("users.profile.userName", contains("q-grace@navy.test", "q-linus@acme.test"));
        query(new Criterion.Not(new Criterion.Compare(attribute(ValueType.STRING, "name", "familyName"),
                Operator.EQ, "hopper"))).body("total", equalTo(2));
    }

    @Test
    void sortsAndPagesStably() {
        Field familyName = attribute(ValueType.STRING, "name", "familyName");
        query(null, familyName, true, 1, 50)
                .body("users.profile.userName", contains("q-linus@acme.test", "q-ada@acme.test", "q-grace@navy.test"));
        query(null, familyName, true, 2, 1).body("total", equalTo(3))
                .body("users.profile.userName", contains("q-ada@acme.test"));
        query(null, null, false, 1, 0).body("total", equalTo(3)).body("users", empty());
        query(null, null, false, 10, 5).body("total", equalTo(3)).body("users", empty());
    }

    @Test
    void criteriaThatCannotBeEvaluatedAre400NotErrors() {
        query(new Criterion.Compare(attribute(ValueType.NUMBER, "score"), Operator.CONTAINS, 7)).statusCode(400);
        query(new Criterion.Compare(Field.column(Source.ACTIVE, ValueType.BOOLEAN, false), Operator.EQ, "yes"))
                .statusCode(400);
        query(new Criterion.Compare(Field.column(Source.CREATED, ValueType.INSTANT, false), Operator.GT, "yesterday"))
                .statusCode(400).body("detail", containsString("yesterday"));
    }

    /**
     * The lookup every IdP makes before a create ({@code userName eq}) reads one entry of the unique index on
     * (connection_id, lower(user_name)), not every account of the connection - its page, the one statement it
     * makes, the count a later page of it would make, and the statement that answers many lookups together.
     * Planned as during a sync: the test's connection holds 10,000 more users and the table is analyzed, inside a
     * transaction rolled back after. The planner's choice rests on the table's statistics, so the test makes its
     * own: with only the rows other test classes leave (many connections of a user or two each), connection_id alone
     * looks unique, and the smaller (connection_id, external_id) index is as good a guess - for those rows.
     */
    @Test
    void aUserNameLookupIsServedByTheUniqueIndex() {
        ResourceQuery lookup = new ResourceQuery(new Criterion.Compare(USER_NAME, Operator.EQ, "Q-Ada@acme.test"),
                null, false, 1, 1, null);
        assertTrue(UserQuerySql.namesOneUserAtMost(lookup));
        UUID id = UUID.fromString(connection);
        List<String> plans = besideASyncedConnection(sql -> planOf(sql, UserQuerySql.page(id, lookup))
                .chain(page -> planOf(sql, UserQuerySql.count(id, lookup)).map(count -> List.of(page, count)))
                .chain(statements -> planOfTheLookupsFunction(sql, new UUID[] {id, id},
                        new String[] {"Q-Ada@acme.test", "q-grace@navy.test"})
                        .map(function -> java.util.stream.Stream.concat(statements.stream(), java.util.stream.Stream.of(function))
                                .toList())));
        for (String plan : plans.subList(0, 2)) {
            assertTrue(Pattern.compile("account_user_name_unique .*\\n.*Index Cond: .*lower\\(user_name\\)")
                    .matcher(plan).find(), plan);
        }
        String lookups = plans.get(2);
        assertTrue(Pattern.compile("account_user_name_unique .*\\n(.*\\n)*?.*Index Cond: .*lower\\(a\\.user_name\\)")
                .matcher(lookups).find(), lookups);
        // A custom plan would show the arrays' values; the generic plan, kept for the session, their parameters.
        assertTrue(lookups.contains("Function Call: unnest($1), unnest($2)"), "the generic plan: " + lookups);
    }

    /** Runs work in a transaction, rolled back after, in which the test's connection holds 10,000 more users, analyzed. */
    private <T> T besideASyncedConnection(java.util.function.Function<SqlConnection, Uni<T>> work) {
        return database.getConnection().chain(sql -> sql.begin().chain(transaction -> sql.preparedQuery("""
                        insert into account (id, connection_id, user_name, external_id, active, attributes, version,
                                             created_at, updated_at, source)
                        select gen_random_uuid(), $1, 'synced-' || n || '@acme.test', 'synced-' || n, true, '{}', 1,
                               now(), now(), 'scim'
                        from generate_series(1, 10000) n""").execute(Tuple.of(UUID.fromString(connection)))
                        .chain(() -> sql.query("analyze account").execute())
                        .chain(() -> work.apply(sql))
                        .eventually(transaction::rollback))
                .eventually(sql::close))
                .await().indefinitely();
    }

    /**
     * Every index of account is a write on each create and each profile change: these are the ones the queries above
     * and the command batch read (V24 dropped an attribute index no query could use).
     */
    @Test
    void accountsCarryOnlyTheIndexesTheirQueriesRead() {
        List<String> indexes = database.query("select indexname from pg_indexes where tablename = 'account' order by 1")
                .execute().map(UserQueryTest::firstColumn).await().indefinitely();
        assertEquals(List.of("account_created", "account_external_id", "account_manual_email", "account_pkey",
                "account_user_name_unique"), indexes);
    }

    /**
     * The lookups' query runs inside their function (V23), so its plan is not the statement's: auto_explain reports
     * the nested statement's plan (verbose: with the function call's arguments) as a notice. The session's plans are
     * discarded first, so the plan shown is made with sequential scans off, as for the statements above.
     */
    private static Uni<String> planOfTheLookupsFunction(SqlConnection sql, UUID[] connections, String[] userNames) {
        List<String> notices = new java.util.concurrent.CopyOnWriteArrayList<>();
        io.vertx.pgclient.PgConnection.cast(sql.getDelegate()).noticeHandler(notice -> notices.add(notice.getMessage()));
        return sql.query("load 'auto_explain'").execute()
                .chain(() -> sql.query("discard plans").execute())
                .chain(() -> sql.query("set local enable_seqscan = off").execute())
                .chain(() -> sql.query("set local auto_explain.log_min_duration = 0").execute())
                .chain(() -> sql.query("set local auto_explain.log_nested_statements = on").execute())
                .chain(() -> sql.query("set local auto_explain.log_level = notice").execute())
                .chain(() -> sql.query("set local auto_explain.log_verbose = on").execute())
                .chain(() -> sql.preparedQuery(UserQuerySql.USER_NAME_LOOKUPS).execute(Tuple.of(connections, userNames)))
                .eventually(() -> io.vertx.pgclient.PgConnection.cast(sql.getDelegate()).noticeHandler(notice -> {
                }))
                .map(rows -> String.join("\n", notices));
    }

    /** The statement's plan with sequential scans off, so that it shows whether an index can serve it at all. */
    private static Uni<String> planOf(SqlConnection sql, UserQuerySql.Statement statement) {
        return sql.query("set local enable_seqscan = off").execute()
                .chain(() -> sql.preparedQuery("explain " + statement.sql()).execute(Tuple.from(statement.parameters())))
                .map(rows -> String.join("\n", firstColumn(rows)));
    }

    private static List<String> firstColumn(io.vertx.mutiny.sqlclient.RowSet<io.vertx.mutiny.sqlclient.Row> rows) {
        return StreamSupport.stream(rows.spliterator(), false).map(row -> row.getString(0)).toList();
    }
}
