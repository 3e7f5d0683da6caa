package dev.scimsync.groupsync.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.scimsync.contracts.query.Criterion;
import dev.scimsync.contracts.query.Field;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class GroupQuerySqlTest {

    private static final Field DISPLAY_NAME = Field.column(Field.Source.DISPLAY_NAME, Field.ValueType.STRING, false);
    private static final Field EXTERNAL_ID = Field.column(Field.Source.EXTERNAL_ID, Field.ValueType.STRING, true);
    private static final Field MEMBER = Field.column(Field.Source.MEMBER, Field.ValueType.STRING, true);

    @Test
    void entraMembershipCheckIsAnIdAndAMemberExistsCondition() {
        UUID user = UUID.randomUUID();
        Criterion check = new Criterion.All(List.of(
                new Criterion.Compare(Field.column(Field.Source.ID, Field.ValueType.STRING, true), Criterion.Operator.EQ,
                        "g1"),
                new Criterion.Compare(MEMBER, Criterion.Operator.EQ, user.toString())));

        GroupQuerySql.Condition condition = GroupQuerySql.where(check, 2);

        assertEquals("(false and exists (select 1 from group_member m where m.group_id = g.id "
                + "and m.user_id = $2))", condition.sql(), "g1 is no group id");
        assertEquals(List.of(user), condition.params());
        UUID group = UUID.randomUUID();
        assertEquals("g.id = $1", GroupQuerySql.where(new Criterion.Compare(Field.column(Field.Source.ID,
                Field.ValueType.STRING, true), Criterion.Operator.EQ, group.toString().toUpperCase()), 1).sql(),
                "by the key, in any case");
    }

    @Test
    void caseInsensitiveStringsCompareLoweredAndLikePatternsAreEscaped() {
        GroupQuerySql.Condition condition = GroupQuerySql.where(new Criterion.Any(List.of(
                new Criterion.Compare(DISPLAY_NAME, Criterion.Operator.CONTAINS, "50%_off"),
                new Criterion.Compare(EXTERNAL_ID, Criterion.Operator.NE, "x"))), 1);

        assertEquals("(lower(g.display_name) like lower($1) escape '\\' or (g.external_id is null or "
                + "g.external_id <> $2))", condition.sql());
        assertEquals(List.of("%50\\%\\_off%", "x"), condition.params());
    }

    @Test
    void instantsArePassedAsTimestamps() {
        GroupQuerySql.Condition condition = GroupQuerySql.where(new Criterion.Not(new Criterion.Compare(
                Field.column(Field.Source.LAST_MODIFIED, Field.ValueType.INSTANT, true), Criterion.Operator.GT,
                "2026-01-01T00:00:00Z")), 1);

        assertEquals("not coalesce(g.last_modified > $1, false)", condition.sql());
        assertEquals(List.of(OffsetDateTime.parse("2026-01-01T00:00:00Z")), condition.params());
    }

    @Test
    void aMemberThatIsNotAnIdMatchesNothingAndOnlyEqIsUnderstood() {
        assertEquals("false", GroupQuerySql.where(new Criterion.Compare(MEMBER, Criterion.Operator.EQ, "bob"), 1)
                .sql());
        assertThrows(IllegalArgumentException.class, () -> GroupQuerySql.where(new Criterion.Compare(MEMBER,
                Criterion.Operator.CONTAINS, "b"), 1));
        assertThrows(IllegalArgumentException.class, () -> GroupQuerySql.where(new Criterion.Compare(
                Field.column(Field.Source.USER_NAME, Field.ValueType.STRING, false), Criterion.Operator.EQ, "b"), 1));
    }

    @Test
    void sortsByTheFieldThenTheIdSoPagesNeverOverlap() {
        assertEquals("g.display_name desc nulls last, g.id", GroupQuerySql.orderBy(DISPLAY_NAME, true));
        assertEquals("g.created_at, g.id", GroupQuerySql.orderBy(null, false));
    }
}
