package dev.scimsync.gateway.scim.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.scimsync.contracts.query.Criterion;
import dev.scimsync.contracts.query.Criterion.Operator;
import dev.scimsync.contracts.query.Field;
import dev.scimsync.contracts.query.Field.Source;
import dev.scimsync.contracts.query.Field.ValueType;
import dev.scimsync.gateway.scim.ScimException;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UserFilterTranslatorTest {

    private static Criterion translate(String filter) {
        return UserFilterTranslator.translate(Filter.parse(filter));
    }

    @Test
    void fixedAttributesUseTheirColumnsAndCaseRules() {
        assertEquals(new Criterion.Compare(Field.column(Source.USER_NAME, ValueType.STRING, false), Operator.EQ, "a@x.test"),
                translate("USERNAME eq \"a@x.test\""));
        assertEquals(new Criterion.Compare(Field.column(Source.EXTERNAL_ID, ValueType.STRING, true), Operator.EQ, "jyoung"),
                translate("externalId eq jyoung"));
        assertEquals(new Criterion.Compare(Field.column(Source.ACTIVE, ValueType.BOOLEAN, false), Operator.EQ, true),
                translate("active eq \"True\""));
        assertEquals(new Criterion.Compare(Field.column(Source.CREATED, ValueType.INSTANT, false), Operator.GT,
                "2015-10-10T14:38:21.861797900-07:00"), translate("meta.Created gt 2015-10-10T14:38:21.8617979-07:00"));
        // xsd:dateTime allows a time without its offset: UTC, as every time here is given.
        assertEquals(new Criterion.Compare(Field.column(Source.LAST_MODIFIED, ValueType.INSTANT, false), Operator.GE,
                "2024-01-01T00:00Z"), translate("meta.lastModified ge \"2024-01-01T00:00:00\""));
    }

    @Test
    void documentAttributesUseCanonicalNames() {
        assertEquals(new Criterion.Compare(Field.attribute(List.of("name", "familyName"), ValueType.STRING, false),
                Operator.STARTS_WITH, "Lo"), translate("name.FAMILYNAME sw \"Lo\""));
        assertEquals(new Criterion.Compare(Field.attribute(List.of(
                        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User", "manager", "value"), ValueType.STRING,
                        false), Operator.EQ, "42"),
                translate("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value eq \"42\""));
    }

    @Test
    void multiValuedAttributesMatchWithinOneElement() {
        Field emails = Field.attribute(List.of("emails"), ValueType.STRING, false);
        assertEquals(new Criterion.AnyElement(emails, new Criterion.Compare(
                        Field.element(List.of("value"), ValueType.STRING, false), Operator.CONTAINS, "@x")),
                translate("emails.value co \"@x\""));
        assertEquals(new Criterion.AnyElement(emails, new Criterion.Compare(
                        Field.element(List.of("value"), ValueType.STRING, false), Operator.CONTAINS, "@x")),
                translate("emails co \"@x\""));
        assertEquals(new Criterion.AnyElement(emails, new Criterion.All(List.of(
                        new Criterion.Compare(Field.element(List.of("type"), ValueType.STRING, false), Operator.EQ, "work"),
                        new Criterion.Compare(Field.element(List.of("primary"), ValueType.BOOLEAN, false), Operator.EQ, true)))),
                translate("emails[type eq \"work\" and primary eq true]"));
        assertEquals(new Criterion.Present(emails), translate("emails pr"));
    }

    @Test
    void resourceTypeIsAlwaysUser() {
        assertEquals(new Criterion.All(List.of()), translate("meta.resourceType eq \"User\""));
        assertEquals(new Criterion.Any(List.of()), translate("meta.resourceType eq \"Group\""));
    }

    @ParameterizedTest
    @ValueSource(strings = {"nope eq 1", "name eq \"x\"", "name.nope eq 1", "active gt true", "active eq 5",
            "emails[nope eq 1]", "title[type eq 1]", "password eq \"x\"", "groups.value eq \"g\"",
            "urn:x:y:z:attr eq 1", "meta.version eq \"1\"", "meta.created gt \"yesterday\"", "title co 5 and x pr",
            "userName gt null", "emails[urn:ietf:params:scim:schemas:core:2.0:User:value eq 1]"})
    void whatCannotBeAnsweredIsInvalidFilter(String filter) {
        ScimException error = assertThrows(ScimException.class, () -> translate(filter));
        assertEquals("invalidFilter", error.scimType(), error.detail());
    }

    @Test
    void numbersStayNumbersForNumericFieldsAndTextForStrings() {
        assertEquals(new Criterion.Compare(Field.attribute(List.of("title"), ValueType.STRING, false), Operator.EQ, "5"),
                translate("title eq 5"));
        assertEquals(new BigDecimal("5"), ((Criterion.Compare) translate("title eq 5")).value() instanceof String s
                ? new BigDecimal(s) : null);
    }

    @Test
    void sortFields() {
        assertEquals(Field.column(Source.USER_NAME, ValueType.STRING, false), UserFilterTranslator.sortField("userName"));
        assertEquals(Field.attribute(List.of("name", "familyName"), ValueType.STRING, false),
                UserFilterTranslator.sortField("name.familyName"));
        assertEquals(Field.attribute(List.of("emails", "0", "value"), ValueType.STRING, false),
                UserFilterTranslator.sortField("emails.value"));
        assertEquals("invalidValue", assertThrows(ScimException.class, () -> UserFilterTranslator.sortField("name"))
                .scimType());
    }
}
