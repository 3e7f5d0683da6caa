package dev.scimsync.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.scimsync.contracts.query.Criterion;
import dev.scimsync.contracts.query.Field;
import dev.scimsync.contracts.query.Keyset;
import dev.scimsync.contracts.query.ResourceQuery;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class CriterionJsonTest {

    @Test
    void aNestedQuerySurvivesTheWire() {
        Criterion filter = new Criterion.All(List.of(
                new Criterion.Compare(Field.column(Field.Source.USER_NAME, Field.ValueType.STRING, false),
                        Criterion.Operator.STARTS_WITH, "ada"),
                new Criterion.Not(new Criterion.Present(Field.attribute(List.of("title"), Field.ValueType.STRING, false))),
                new Criterion.AnyElement(Field.attribute(List.of("emails"), Field.ValueType.STRING, false),
                        new Criterion.Any(List.of(
                                new Criterion.Compare(Field.element(List.of("type"), Field.ValueType.STRING, false),
                                        Criterion.Operator.EQ, "work"),
                                new Criterion.Compare(Field.element(List.of("primary"), Field.ValueType.BOOLEAN, false),
                                        Criterion.Operator.EQ, true)))),
                new Criterion.Compare(Field.attribute(List.of("x"), Field.ValueType.NUMBER, false),
                        Criterion.Operator.GT, new BigDecimal("1.5"))));
        ResourceQuery query = new ResourceQuery(filter, Field.column(Field.Source.CREATED, Field.ValueType.INSTANT, false), true,
                1, 10, null);

        ResourceQuery read = ContractJson.read(ContractJson.write(query), ResourceQuery.class);

        assertEquals(query.toString(), read.toString());
        assertEquals(query.sortBy(), read.sortBy());
    }

    @Test
    void aKeysetKeepsItsMicrosecondsOnTheWire() {
        Keyset after = new Keyset(Instant.parse("2025-10-09T13:03:21.123456Z"), UUID.randomUUID());
        ResourceQuery query = new ResourceQuery(null, null, false, 1, 100, after);

        assertEquals(after, ContractJson.read(ContractJson.write(query), ResourceQuery.class).after());
    }

    @Test
    void fieldsAndQueriesRefuseImpossibleShapes() {
        assertThrows(IllegalArgumentException.class, () -> Field.attribute(List.of(), Field.ValueType.STRING, false));
        assertThrows(IllegalArgumentException.class,
                () -> new Field(Field.Source.USER_NAME, List.of("x"), Field.ValueType.STRING, false));
        assertThrows(IllegalArgumentException.class, () -> new ResourceQuery(null, null, false, 0, 10, null));
        assertThrows(IllegalArgumentException.class, () -> new ResourceQuery(null, null, false, 1, -1, null));
        Keyset after = new Keyset(Instant.now(), UUID.randomUUID());
        assertThrows(IllegalArgumentException.class, () -> new ResourceQuery(null, null, false, 101, 100, after));
        assertThrows(IllegalArgumentException.class, () -> new ResourceQuery(null,
                Field.column(Field.Source.USER_NAME, Field.ValueType.STRING, false), false, 1, 100, after));
    }
}
