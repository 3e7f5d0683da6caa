package dev.scimsync.membership.api.admin;

import static dev.scimsync.membership.api.admin.MembershipRulesTest.admin;
import static dev.scimsync.membership.api.admin.MembershipRulesTest.unique;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.scimsync.runtime.BoundedQueries;
import dev.scimsync.testsupport.InfrastructureTestResource;
import dev.scimsync.testsupport.TestDatabase;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * The members of a large organization, against the real database. The export reads a page at a time (its first
 * version read every member at once and asked PostgreSQL for their accounts with one parameter each, which fails
 * past 65,535 members); a search, which reads every member, takes a turn of the costly queries.
 */
@QuarkusTest
@QuarkusTestResource(InfrastructureTestResource.class)
class LargeOrganizationMembersTest {

    private static final int MEMBERS = 70_000;

    @Inject
    BoundedQueries queries;

    @ConfigProperty(name = "membership.queries.per-connection")
    int perTenant;


    /** Members added by hand with SQL, all at one created time (so pages part within one time), without events. */
    private static void addMembers(String org, int count) throws Exception {
        try (Connection database = TestDatabase.connect(); Statement replica = database.createStatement();
                PreparedStatement insert = database.prepareStatement("""
                        with accounts as (
                          insert into account (id, user_name, active, attributes, version, created_at, updated_at, source)
                          select gen_random_uuid(), 'm' || n || '@big.test', true,
                                 jsonb_build_object('name', jsonb_build_object('givenName', 'Given' || n)), 1,
                                 timestamptz '2026-12-01 10:00:00+00', now(), 'manual'
                          from generate_series(1, ?) n returning id, created_at)
                        insert into member (account_id, organization_id, role, state, source, created_at)
                        select a.id, o.id, 'member', 'active', 'manual', a.created_at
                        from accounts a, organization o where o.name = ?""")) {
            // The members' events are not what this test is about: 70,000 of them would only slow the outbox.
            replica.execute("set session_replication_role = replica");
            insert.setInt(1, count);
            insert.setString(2, org);
            assertEquals(count, insert.executeUpdate());
        }
    }

    @Test
    void anOrganizationPastPostgreSqlsParameterLimitExportsEveryMemberOnce() throws Exception {
        String org = unique("big");
        admin().body(Map.of("name", org)).post("/organizations").then().statusCode(201);
        addMembers(org, MEMBERS);

        String csv = admin().get("/organizations/{o}/members/export", org).then().statusCode(200)
                .contentType("text/csv").header("Content-Disposition", "attachment; filename=\"" + org + "-members.csv\"")
                .extract().asString();

        List<String> lines = Arrays.asList(csv.split("\n"));
        assertEquals("email,name,role,state,source,teams,created", lines.get(0));
        assertEquals(MEMBERS + 1, lines.size());
        assertEquals(MEMBERS, lines.stream().skip(1).map(line -> line.substring(0, line.indexOf(','))).distinct().count(),
                "every member once");
        assertEquals(1, lines.stream().filter(line -> line.equals(
                "m70000@big.test,Given70000,member,active,manual,,2026-12-01T10:00:00Z")).count());
    }

    @Test
    void anOrganizationsSearchesHoldAtMostItsShareOfTheCostlyQueriesTurns() throws Exception {
        String org = unique("searched");
        admin().body(Map.of("name", org)).post("/organizations").then().statusCode(201);
        admin().body(Map.of("email", "Findme@x.test")).post("/organizations/{o}/members", org).then().statusCode(201);
        List<CompletableFuture<Integer>> held = new ArrayList<>();
        for (int i = 0; i < perTenant; i++) {
            held.add(queries.run(AdminMembersResource.searchTurns(org), sql -> sql.query("select 1 from pg_sleep(2)")
                    .execute().map(rows -> rows.size())).subscribeAsCompletionStage());
        }
        Thread.sleep(300);

        admin().get("/organizations/{o}/members?q=findme", org).then().statusCode(429)
                .body("detail", equalTo("as many member searches as may run for organization " + org
                        + " are running; try again in a moment"));
        admin().get("/organizations/{o}/members", org).then().statusCode(200).body("totalResults", equalTo(1));

        for (CompletableFuture<Integer> query : held) {
            assertEquals(1, query.get(30, TimeUnit.SECONDS));
        }
        admin().get("/organizations/{o}/members?q=FINDME&source=manual", org).then().statusCode(200)
                .body("totalResults", equalTo(1)).body("members[0].email", equalTo("Findme@x.test"));
        admin().get("/organizations/{o}/members?q=findme&source=scim", org).then().statusCode(200)
                .body("totalResults", equalTo(0));
    }

    @Test
    void anUnknownOrganizationIsNotFound() {
        admin().get("/organizations/{o}/members/export", "no-such-org").then().statusCode(404)
                .contentType("application/json").body("detail", equalTo("organization 'no-such-org' not found"));
    }
}
