package dev.scimsync.contracts.query;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A protocol-neutral condition on stored users, built by the gateway from a SCIM filter and turned into
 * SQL by the owning service. Fields are typed, so the service compares strings, booleans, numbers and
 * instants as such without knowing SCIM schemas.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({
        @JsonSubTypes.Type(value = Criterion.All.class, name = "all"),
        @JsonSubTypes.Type(value = Criterion.Any.class, name = "any"),
        @JsonSubTypes.Type(value = Criterion.Not.class, name = "not"),
        @JsonSubTypes.Type(value = Criterion.Compare.class, name = "compare"),
        @JsonSubTypes.Type(value = Criterion.Present.class, name = "present"),
        @JsonSubTypes.Type(value = Criterion.AnyElement.class, name = "anyElement")})
public sealed interface Criterion {

    /**
     * Whether {@code criterion} holds only where one of {@code sources} equals a value: such a comparison alone, or
     * one among the criteria of an {@link All}. Where those sources are unique, its query reads one row at most.
     */
    static boolean requiresEquality(Criterion criterion, Set<Field.Source> sources) {
        if (criterion instanceof Compare compare) {
            return sources.contains(compare.field().source()) && compare.operator() == Operator.EQ
                    && compare.value() != null;
        }
        return criterion instanceof All all && all.criteria().stream().anyMatch(each -> requiresEquality(each, sources));
    }

    /** Every one of the criteria holds. */
    record All(List<Criterion> criteria) implements Criterion {
        public All {
            criteria = List.copyOf(criteria);
        }
    }

    /** At least one of the criteria holds. */
    record Any(List<Criterion> criteria) implements Criterion {
        public Any {
            criteria = List.copyOf(criteria);
        }
    }

    record Not(Criterion criterion) implements Criterion {
        public Not {
            Objects.requireNonNull(criterion);
        }
    }

    /**
     * {@code field op value}; the value is a string for strings and instants (ISO-8601), a boolean, or a
     * number, matching the field's type.
     */
    record Compare(Field field, Operator operator, Object value) implements Criterion {
        public Compare {
            Objects.requireNonNull(field);
            Objects.requireNonNull(operator);
        }
    }

    /** The field has a non-empty value. */
    record Present(Field field) implements Criterion {
        public Present {
            Objects.requireNonNull(field);
        }
    }

    /**
     * Some element of the array at {@code array} (an attributes path) satisfies {@code criterion}, whose
     * fields are {@link Field#element} paths relative to the element.
     */
    record AnyElement(Field array, Criterion criterion) implements Criterion {
        public AnyElement {
            Objects.requireNonNull(array);
            Objects.requireNonNull(criterion);
        }
    }

    enum Operator {
        EQ, NE, CONTAINS, STARTS_WITH, ENDS_WITH, GT, GE, LT, LE
    }
}
