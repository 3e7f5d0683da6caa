package dev.scimsync.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.scimsync.contracts.query.Criterion;
import dev.scimsync.contracts.query.Field;
import dev.scimsync.contracts.query.ResourceQuery;
import java.math.BigDecimal;
import java.util.List;
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
                1, 10);

        ResourceQuery read = ContractJson.read(ContractJson.write(query), ResourceQuery.class);

        assertEquals(query.toString(), read.toString());
        assertEquals(query.sortBy(), read.sortBy());
    }

    @Test
    void fieldsAndQueriesRefuseImpossibleShapes() {
        assertThrows(IllegalArgumentException.class, () -> Field.attribute(List.of(), Field.ValueType.STRING, false));
        assertThrows(IllegalArgumentException.class,
                () -> new Field(Field.Source.USER_NAME, List.of("x"), Field.ValueType.STRING, false));
        assertThrows(IllegalArgumentException.class, () -> new ResourceQuery(null, null, false, 0, 10));
        assertThrows(IllegalArgumentException.class, () -> new ResourceQuery(null, null, false, 1, -1));
    }
}
