package dev.scimsync.gateway.scim.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scimsync.gateway.scim.ScimException;
import java.math.BigDecimal;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class FilterParserTest {

    private static Filter.Compare eq(String attribute, Object value) {
        return new Filter.Compare(AttributePath.of(attribute), Operator.EQ, value);
    }

    static Stream<Arguments> validFilters() {
        AttributePath emails = AttributePath.of("emails");
        return Stream.of(
                Arguments.of("userName eq \"bjensen\"", eq("userName", "bjensen")),
                Arguments.of("USERNAME EQ \"x\"", new Filter.Compare(AttributePath.of("USERNAME"), Operator.EQ, "x")),
                Arguments.of("name.familyName co \"O'Malley\"",
                        new Filter.Compare(AttributePath.of("name", "familyName"), Operator.CO, "O'Malley")),
                Arguments.of("userName sw \"J\"", new Filter.Compare(AttributePath.of("userName"), Operator.SW, "J")),
                Arguments.of("urn:ietf:params:scim:schemas:core:2.0:User:userName sw \"J\"", new Filter.Compare(
                        new AttributePath("urn:ietf:params:scim:schemas:core:2.0:User", "userName", null), Operator.SW, "J")),
                Arguments.of("title pr", new Filter.Present(AttributePath.of("title"))),
                Arguments.of("meta.lastModified gt \"2011-05-13T04:42:34Z\"", new Filter.Compare(
                        AttributePath.of("meta", "lastModified"), Operator.GT, "2011-05-13T04:42:34Z")),
                Arguments.of("title pr and userType eq \"Employee\"",
                        new Filter.And(new Filter.Present(AttributePath.of("title")), eq("userType", "Employee"))),
                Arguments.of("title pr or userType eq \"Intern\"",
                        new Filter.Or(new Filter.Present(AttributePath.of("title")), eq("userType", "Intern"))),
                Arguments.of("a eq 1 or b eq 2 and c eq 3", new Filter.Or(eq("a", new BigDecimal("1")),
                        new Filter.And(eq("b", new BigDecimal("2")), eq("c", new BigDecimal("3"))))),
                Arguments.of("(a eq 1 or b eq 2) and c eq 3", new Filter.And(new Filter.Or(eq("a", new BigDecimal("1")),
                        eq("b", new BigDecimal("2"))), eq("c", new BigDecimal("3")))),
                Arguments.of("userType eq \"Employee\" and not (emails co \"example.com\" or emails.value co \"example.org\")",
                        new Filter.And(eq("userType", "Employee"), new Filter.Not(new Filter.Or(
                                new Filter.Compare(emails, Operator.CO, "example.com"),
                                new Filter.Compare(AttributePath.of("emails", "value"), Operator.CO, "example.org"))))),
                Arguments.of("emails[type eq \"work\" and value co \"@example.com\"]", new Filter.ValuePath(emails,
                        new Filter.And(eq("type", "work"), new Filter.Compare(AttributePath.of("value"), Operator.CO,
                                "@example.com")))),
                // Entra ID, when email is a matching attribute: a value filter's sub-attribute compared after it.
                Arguments.of("emails[type eq \"work\"].value eq \"bob@x.com\"", new Filter.ValuePath(emails,
                        new Filter.And(eq("type", "work"), eq("value", "bob@x.com")))),
                Arguments.of("emails[type eq \"work\"].value pr and active eq true", new Filter.And(
                        new Filter.ValuePath(emails, new Filter.And(eq("type", "work"),
                                new Filter.Present(AttributePath.of("value")))), eq("active", Boolean.TRUE))),
                Arguments.of("active eq true", eq("active", Boolean.TRUE)),
                Arguments.of("x eq null", eq("x", null)),
                Arguments.of("x eq -1.5e3", eq("x", new BigDecimal("-1.5e3"))),
                Arguments.of("externalId eq jyoung", eq("externalId", "jyoung")),
                Arguments.of("meta.Created gt 2015-10-10T14:38:21.8617979-07:00", new Filter.Compare(
                        AttributePath.of("meta", "Created"), Operator.GT, "2015-10-10T14:38:21.8617979-07:00")),
                Arguments.of("displayName eq \"a \\\"quoted\\\" \\\\ name\"", eq("displayName", "a \"quoted\" \\ name")),
                Arguments.of("not(active eq false)", new Filter.Not(eq("active", Boolean.FALSE))),
                Arguments.of("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value eq \"26118915\"",
                        new Filter.Compare(new AttributePath("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User",
                                "manager", "value"), Operator.EQ, "26118915")));
    }

    @ParameterizedTest
    @MethodSource("validFilters")
    void parses(String text, Filter expected) {
        assertEquals(expected, Filter.parse(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "userName", "userName eq", "userName xx \"a\"", "userName eq \"unclosed",
            "(userName eq \"a\"", "userName eq \"a\")", "emails[type eq \"work\"", "emails[type eq \"work\"]]",
            "a eq 1 and", "userName eq \"a\" b", "emails[type[value eq 1]]", "1abc eq 2", "a.b.c eq 1",
            "not userName eq \"a\"", "x eq \"\\u12\"", "name.familyName[value eq 1]", "a eq or",
            "emails[type eq \"work\"].value", "emails[type eq \"work\"].1x eq \"a\"",
            "emails[type eq \"work\"].value.x eq \"a\""})
    void rejectsWithInvalidFilter(String text) {
        ScimException error = assertThrows(ScimException.class, () -> Filter.parse(text));
        assertEquals(400, error.status());
        assertEquals("invalidFilter", error.scimType());
    }

    @Test
    void deepNestingIsRefusedNotAStackOverflow() {
        String deep = "(".repeat(5000) + "a eq 1" + ")".repeat(5000);
        assertEquals("invalidFilter", assertThrows(ScimException.class, () -> Filter.parse(deep)).scimType());
    }

    @Test
    void aLongChainIsRefusedBeforeItBecomesADeepTree() {
        String hundred = String.join(" and ", java.util.Collections.nCopies(100, "id pr"));
        assertTrue(Filter.parse(hundred) instanceof Filter.And);
        ScimException error = assertThrows(ScimException.class, () -> Filter.parse(hundred + " or id pr"));
        assertEquals("invalidFilter", error.scimType());
        assertTrue(error.detail().contains("more than 100 comparisons"), error.detail());
    }

    @Test
    void errorsSayWhere() {
        ScimException error = assertThrows(ScimException.class, () -> Filter.parse("userName zz \"a\""));
        assertTrue(error.detail().contains("position 10"), error.detail());
    }

    /** Property: printing and parsing again gives the same tree, for random valid filters. */
    @Test
    void printedFiltersParseBackToTheSameTree() {
        Random random = new Random(7);
        for (int i = 0; i < 2000; i++) {
            Filter filter = randomFilter(random, 0, false);
            assertEquals(filter, Filter.parse(filter.toString()), filter.toString());
        }
    }

    /** Property: random strings never fail with anything but a SCIM invalidFilter error. */
    @Test
    void randomInputNeverThrowsAnythingElse() {
        Random random = new Random(11);
        String alphabet = "ab eqorn()[]\"\\.:-1tpr";
        for (int i = 0; i < 5000; i++) {
            StringBuilder text = new StringBuilder();
            for (int j = random.nextInt(30); j > 0; j--) {
                text.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            try {
                Filter.parse(text.toString());
            } catch (ScimException e) {
                assertEquals("invalidFilter", e.scimType(), text.toString());
            }
        }
    }

    private static Filter randomFilter(Random random, int depth, boolean inValuePath) {
        int choice = depth > 3 ? random.nextInt(2) : random.nextInt(6);
        String[] names = {"userName", "title", "emails", "x-y_z", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department"};
        AttributePath path = AttributePath.of(names[random.nextInt(names.length)]);
        if (path.attribute().startsWith("urn:")) {
            path = new AttributePath("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User", "department", null);
        } else if (!inValuePath && random.nextBoolean()) {
            path = AttributePath.of(path.attribute(), "value");
        }
        return switch (choice) {
            case 0 -> new Filter.Present(path);
            case 1 -> new Filter.Compare(path, Operator.values()[random.nextInt(Operator.values().length)],
                    switch (random.nextInt(4)) {
                        case 0 -> "s\"q\\" + random.nextInt(100);
                        case 1 -> random.nextBoolean();
                        case 2 -> new BigDecimal(random.nextInt(1000) - 500).movePointLeft(random.nextInt(3));
                        default -> null;
                    });
            case 2 -> new Filter.And(randomFilter(random, depth + 1, inValuePath), randomFilter(random, depth + 1, inValuePath));
            case 3 -> new Filter.Or(randomFilter(random, depth + 1, inValuePath), randomFilter(random, depth + 1, inValuePath));
            case 4 -> new Filter.Not(randomFilter(random, depth + 1, inValuePath));
            default -> inValuePath ? new Filter.Present(AttributePath.of("type"))
                    : new Filter.ValuePath(AttributePath.of("emails"), randomFilter(random, depth + 1, true));
        };
    }
}
