package dev.scimsync.gateway.scim.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.scimsync.contracts.query.Criterion;
import dev.scimsync.contracts.query.Criterion.Operator;
import dev.scimsync.contracts.query.Field;
import dev.scimsync.contracts.query.Field.Source;
import dev.scimsync.contracts.query.Field.ValueType;
import dev.scimsync.gateway.scim.ScimException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GroupFilterTranslatorTest {

    private static final Field DISPLAY_NAME = Field.column(Source.DISPLAY_NAME, ValueType.STRING, false);
    private static final Field MEMBER = Field.column(Source.MEMBER, ValueType.STRING, true);
    private static final Field ID = Field.column(Source.ID, ValueType.STRING, true);

    private static Criterion translate(String filter) {
        return GroupFilterTranslator.translate(Filter.parse(filter));
    }

    @Test
    void columnsWithTheirCaseRules() {
        assertEquals(new Criterion.Compare(DISPLAY_NAME, Operator.EQ, "Engineers"), translate("DisplayName eq \"Engineers\""));
        assertEquals(new Criterion.Compare(DISPLAY_NAME, Operator.STARTS_WITH, "Eng"),
                translate("urn:ietf:params:scim:schemas:core:2.0:Group:displayName sw \"Eng\""));
        assertEquals(new Criterion.Compare(Field.column(Source.EXTERNAL_ID, ValueType.STRING, true), Operator.EQ, "abc"),
                translate("externalId eq abc"));
        assertEquals(new Criterion.Compare(ID, Operator.EQ, "g1"), translate("id eq \"g1\""));
        assertEquals(new Criterion.Compare(Field.column(Source.LAST_MODIFIED, ValueType.INSTANT, false), Operator.GT,
                "2026-01-01T00:00Z"), translate("meta.lastModified gt \"2026-01-01T00:00:00Z\""));
        assertEquals(new Criterion.Present(Field.column(Source.CREATED, ValueType.INSTANT, false)),
                translate("meta.created pr"));
    }

    @Test
    void membershipIsAskedAsHasThisMember() {
        Criterion hasU1 = new Criterion.Compare(MEMBER, Operator.EQ, "u1");
        assertEquals(hasU1, translate("members[value eq \"u1\"]"));
        assertEquals(hasU1, translate("members.value eq \"u1\""));
        assertEquals(hasU1, translate("members eq \"u1\""));
        assertEquals(new Criterion.Present(MEMBER), translate("members pr"));
        assertEquals(new Criterion.Any(List.of(hasU1, new Criterion.Compare(MEMBER, Operator.EQ, "u2"))),
                translate("members[value eq \"u1\" or value eq \"u2\"]"));
        assertEquals(new Criterion.Not(hasU1), translate("not (members[value eq \"u1\"])"));
    }

    @Test
    void entraMembershipCheck() {
        assertEquals(new Criterion.All(List.of(new Criterion.Compare(ID, Operator.EQ, "g1"),
                        new Criterion.Compare(MEMBER, Operator.EQ, "u1"))),
                translate("id eq \"g1\" and members[value eq \"u1\"]"));
    }

    @Test
    void resourceTypeIsGroup() {
        assertEquals(new Criterion.All(List.of()), translate("meta.resourceType eq \"Group\""));
        assertEquals(new Criterion.Any(List.of()), translate("meta.resourceType eq \"User\""));
    }

    @ParameterizedTest
    @ValueSource(strings = {"title eq \"x\"", "members.display eq \"Ada\"", "members[display eq \"Ada\"]",
            "members.value ne \"u1\"", "members[value co \"u\"]", "members[value eq \"u1\" and value eq \"u2\"]",
            "members eq null", "meta.version eq \"1\"", "urn:ietf:params:scim:schemas:core:2.0:User:userName eq \"a\"",
            "displayName[value eq \"x\"]", "meta.created gt \"yesterday\""})
    void whatGroupSyncCannotAnswerIsInvalidFilter(String filter) {
        assertEquals("invalidFilter", assertThrows(ScimException.class, () -> translate(filter)).scimType());
    }

    @Test
    void sortsByColumnsOnly() {
        assertEquals(DISPLAY_NAME, GroupFilterTranslator.sortField("displayName"));
        assertEquals(Field.column(Source.CREATED, ValueType.INSTANT, false), GroupFilterTranslator.sortField("meta.created"));
        assertEquals("invalidValue", assertThrows(ScimException.class,
                () -> GroupFilterTranslator.sortField("members")).scimType());
        assertEquals("invalidValue", assertThrows(ScimException.class,
                () -> GroupFilterTranslator.sortField("title")).scimType());
    }
}
