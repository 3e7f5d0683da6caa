package dev.scimsync.membership.persistence;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scimsync.contracts.query.Criterion;
import dev.scimsync.contracts.query.Criterion.Operator;
import dev.scimsync.contracts.query.Field;
import dev.scimsync.contracts.query.Field.Source;
import dev.scimsync.contracts.query.Field.ValueType;
import dev.scimsync.contracts.query.ResourceQuery;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Which queries can match one user at most, and so read one unordered page instead of a count and a page. */
class UserQuerySqlTest {

    private static final Field USER_NAME = Field.column(Source.USER_NAME, ValueType.STRING, false);
    private static final Field EXTERNAL_ID = Field.column(Source.EXTERNAL_ID, ValueType.STRING, true);
    private static final Criterion ADA = new Criterion.Compare(USER_NAME, Operator.EQ, "ada@acme.test");

    private static ResourceQuery firstPage(Criterion filter) {
        return new ResourceQuery(filter, null, false, 1, 100, null);
    }

    @Test
    void aUserNameEqualityAloneOrRequiredBesideOthersNamesOneUser() {
        assertTrue(UserQuerySql.namesOneUserAtMost(firstPage(ADA)));
        assertTrue(UserQuerySql.namesOneUserAtMost(firstPage(new Criterion.All(List.of(
                new Criterion.Compare(Field.column(Source.ACTIVE, ValueType.BOOLEAN, false), Operator.EQ, true), ADA)))));
    }

    @Test
    void otherFiltersAndLaterPagesDoNot() {
        assertFalse(UserQuerySql.namesOneUserAtMost(firstPage(null)));
        assertFalse(UserQuerySql.namesOneUserAtMost(firstPage(new Criterion.Compare(EXTERNAL_ID, Operator.EQ, "e1"))));
        assertFalse(UserQuerySql.namesOneUserAtMost(firstPage(new Criterion.Compare(USER_NAME, Operator.EQ, null))));
        assertFalse(UserQuerySql.namesOneUserAtMost(firstPage(new Criterion.Compare(USER_NAME, Operator.STARTS_WITH, "a"))));
        assertFalse(UserQuerySql.namesOneUserAtMost(firstPage(new Criterion.Any(List.of(ADA,
                new Criterion.Compare(USER_NAME, Operator.EQ, "grace@navy.test"))))));
        assertFalse(UserQuerySql.namesOneUserAtMost(firstPage(new Criterion.Not(ADA))));
        assertFalse(UserQuerySql.namesOneUserAtMost(new ResourceQuery(ADA, null, false, 2, 100, null)));
        assertFalse(UserQuerySql.namesOneUserAtMost(new ResourceQuery(ADA, null, false, 1, 0, null)));
    }

    /** Parameters for limit and offset would have PostgreSQL plan the lookup again on every execution. */
    @Test
    void onlyAPageOfOneUserAtMostDropsItsOrderLimitAndOffset() {
        UUID connection = UUID.randomUUID();
        String lookup = UserQuerySql.page(connection, firstPage(ADA)).sql();
        assertFalse(lookup.contains("order by") || lookup.contains("limit") || lookup.contains("offset"), lookup);
        assertTrue(UserQuerySql.page(connection, firstPage(new Criterion.Compare(USER_NAME, Operator.STARTS_WITH, "a")))
                .sql().endsWith("order by a.created_at, a.id limit $3 offset $4"));
    }
}
