package dev.scimsync.membership.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scimsync.testsupport.InfrastructureTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Multi;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * A command batch's team look-up on the real PostgreSQL, among many organizations whose teams share a name (most
 * have an "Everyone"), under the generic plan the batch's session keeps (UserCommandStore sets
 * plan_cache_mode=force_generic_plan).
 */
@QuarkusTest
@QuarkusTestResource(InfrastructureTestResource.class)
class TeamsByNameTest {

    private static final int ORGANIZATIONS = 300;
    private static final int NAMED = 20;

    @Inject
    Pool database;

    @Test
    void eachNamedTeamIsFoundInItsOwnOrganizationWhateverPlanItsSessionKeeps() {
        String run = "teams-" + System.nanoTime() + "-";
        Map<String, UUID> everyone = new HashMap<>();
        Map<UUID, String> organizationNames = new HashMap<>();
        database.withTransaction(sql -> Multi.createFrom().range(0, ORGANIZATIONS)
                .onItem().transformToUniAndConcatenate(i -> {
                    UUID organization = UUID.randomUUID();
                    UUID team = UUID.randomUUID();
                    everyone.put(run + i, team);
                    organizationNames.put(organization, run + i);
                    return sql.preparedQuery("insert into organization (id, name) values ($1, $2)")
                            .execute(Tuple.of(organization, run + i))
                            .chain(() -> sql.preparedQuery("insert into team (id, organization_id, name) "
                                    + "values ($1, $2, $3), ($4, $2, $5)")
                                    .execute(Tuple.of(team, organization, "Everyone", UUID.randomUUID(), "Engineering")));
                }).collect().last()).await().indefinitely();
        String[] organizations = IntStream.range(0, NAMED).mapToObj(i -> run + (i * 7)).toArray(String[]::new);
        // Named as IdPs and admins type them: in any letter case.
        String[] teams = IntStream.range(0, NAMED).mapToObj(i -> i % 2 == 0 ? "everyone" : "EVERYONE")
                .toArray(String[]::new);
        Map<String, UUID> expected = new HashMap<>();
        for (String organization : organizations) {
            expected.put(organization, everyone.get(organization));
        }

        // Before autovacuum has analyzed the new rows and after; the joins in the order the planner picks today, and in
        // the order the statement writes them (join_collapse_limit=1): an order a plan made on other statistics may
        // keep, as the session keeps its generic plan until the tables are analyzed again.
        for (String when : List.of("not analyzed", "analyzed")) {
            if (when.equals("analyzed")) {
                database.query("analyze organization, team").execute().await().indefinitely();
            }
            for (String joins : List.of("the planner's order", "the written order")) {
                String variant = when + ", " + joins;
                String order = joins.equals("the written order") ? "set local join_collapse_limit = 1" : "select 1";
                Map<String, UUID> found = new HashMap<>();
                JsonObject plan = database.withTransaction(sql -> sql
                        .query("set local plan_cache_mode = force_generic_plan").execute()
                        .chain(() -> sql.query(order).execute())
                        .chain(() -> sql.preparedQuery(UserCommandStore.TEAMS_BY_NAME)
                                .execute(Tuple.of(organizations, teams)))
                        .invoke(rows -> rows.forEach(row -> found.put(
                                organizationNames.get(row.getUUID("organization_id")), row.getUUID("id"))))
                        .chain(() -> sql.preparedQuery("explain (analyze, format json) " + UserCommandStore.TEAMS_BY_NAME)
                                .execute(Tuple.of(organizations, teams)))
                        .map(rows -> {
                            Object explained = rows.iterator().next().getValue(0);
                            JsonArray json = explained instanceof JsonArray array ? array
                                    : new JsonArray(explained.toString());
                            return json.getJsonObject(0).getJsonObject("Plan");
                        }))
                        .await().indefinitely();
                assertEquals(expected, found, variant);
                // Only the named organizations' teams (two each) are read. Matched by name first, the statement read all
                // 600 teams here, and joined each "Everyone" to all 20 names before it looked at their organizations.
                long teamRowsRead = teamRowsRead(plan);
                assertTrue(teamRowsRead <= 2L * NAMED,
                        variant + ", team rows read: " + teamRowsRead + "\n" + plan.encodePrettily());
            }
        }
    }

    /** Rows the plan's scans of team returned or filtered out, over all their loops. */
    private static long teamRowsRead(JsonObject node) {
        long read = 0;
        if ("team".equals(node.getString("Relation Name"))) {
            read = (node.getLong("Actual Rows") + node.getLong("Rows Removed by Filter", 0L)
                    + node.getLong("Rows Removed by Index Recheck", 0L)) * node.getLong("Actual Loops");
        }
        JsonArray children = node.getJsonArray("Plans", new JsonArray());
        for (int i = 0; i < children.size(); i++) {
            read += teamRowsRead(children.getJsonObject(i));
        }
        return read;
    }
}
