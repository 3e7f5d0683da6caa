package dev.scimsync.gateway.scim.filter;

import dev.scimsync.contracts.query.Criterion;
import dev.scimsync.contracts.query.Field;
import dev.scimsync.gateway.scim.ScimException;
import dev.scimsync.gateway.scim.schema.Attribute;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * What the filter translators of every resource type share: a comparison on a typed field, checked so
 * that a filter the owning service cannot answer is the client's {@code 400 invalidFilter}, not a
 * database error.
 */
final class Comparisons {

    private Comparisons() {
    }

    static Criterion compare(Filter.Compare compare, Field field) {
        return new Criterion.Compare(field, operator(compare, field), value(compare, field));
    }

    static boolean isResourceType(AttributePath path) {
        return path.schema() == null && path.matches("meta") && "resourceType".equalsIgnoreCase(path.subAttribute());
    }

    /** {@code meta.resourceType eq "User"}: true for every resource of that type, false for all others. */
    static Criterion resourceTypeIs(Filter.Compare compare, String resourceType) {
        boolean matches = compare.operator() == Operator.EQ
                && resourceType.equalsIgnoreCase(String.valueOf(compare.value()));
        return matches ? new Criterion.All(List.of()) : new Criterion.Any(List.of());
    }

    /** The attribute path {@code sortBy} names. */
    static AttributePath sortPath(String sortBy) {
        try {
            Filter probe = Filter.parse(sortBy + " pr");
            return ((Filter.Present) probe).path();
        } catch (ScimException | ClassCastException e) {
            throw ScimException.invalidValue("sortBy '" + sortBy + "' is not an attribute path");
        }
    }

    static Field.ValueType valueType(Attribute attribute) {
        return switch (attribute.type()) {
            case BOOLEAN -> Field.ValueType.BOOLEAN;
            case DECIMAL, INTEGER -> Field.ValueType.NUMBER;
            case DATE_TIME -> Field.ValueType.INSTANT;
            default -> Field.ValueType.STRING;
        };
    }

    private static Criterion.Operator operator(Filter.Compare compare, Field field) {
        Criterion.Operator operator = switch (compare.operator()) {
            case EQ -> Criterion.Operator.EQ;
            case NE -> Criterion.Operator.NE;
            case CO -> Criterion.Operator.CONTAINS;
            case SW -> Criterion.Operator.STARTS_WITH;
            case EW -> Criterion.Operator.ENDS_WITH;
            case GT -> Criterion.Operator.GT;
            case GE -> Criterion.Operator.GE;
            case LT -> Criterion.Operator.LT;
            case LE -> Criterion.Operator.LE;
        };
        boolean substring = operator == Criterion.Operator.CONTAINS || operator == Criterion.Operator.STARTS_WITH
                || operator == Criterion.Operator.ENDS_WITH;
        if (substring && field.type() != Field.ValueType.STRING) {
            throw ScimException.invalidFilter("'" + compare.operator().token() + "' compares strings; '" + compare.path()
                    + "' is not one");
        }
        boolean ordering = !substring && operator != Criterion.Operator.EQ && operator != Criterion.Operator.NE;
        if (ordering && field.type() == Field.ValueType.BOOLEAN) {
            throw ScimException.invalidFilter("'" + compare.operator().token() + "' does not apply to the boolean '"
                    + compare.path() + "'");
        }
        if (compare.value() == null && operator != Criterion.Operator.EQ && operator != Criterion.Operator.NE) {
            throw ScimException.invalidFilter("'" + compare.operator().token() + "' cannot compare with null");
        }
        return operator;
    }

    /** The filter's value in the field's type; a mismatch is the client's error, not the database's. */
    private static Object value(Filter.Compare compare, Field field) {
        Object value = compare.value();
        if (value == null) {
            return null;
        }
        String context = " for '" + compare.path() + "'";
        switch (field.type()) {
            case BOOLEAN:
                if (value instanceof Boolean) {
                    return value;
                }
                if (value instanceof String text && (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false"))) {
                    return Boolean.valueOf(text.toLowerCase(java.util.Locale.ROOT));
                }
                throw ScimException.invalidFilter("expected true or false" + context + ", got " + value);
            case NUMBER:
                if (value instanceof BigDecimal) {
                    return value;
                }
                throw ScimException.invalidFilter("expected a number" + context + ", got " + value);
            case INSTANT:
                try {
                    return OffsetDateTime.parse(String.valueOf(value)).toString();
                } catch (DateTimeParseException e) {
                    // xsd:dateTime (RFC 7643 section 2.3.5) allows a time without its offset: read it as UTC, the
                    // zone every time here is given in.
                    try {
                        return java.time.LocalDateTime.parse(String.valueOf(value)).atOffset(ZoneOffset.UTC).toString();
                    } catch (DateTimeParseException alsoNot) {
                        throw ScimException.invalidFilter("expected an ISO-8601 date-time" + context + ", got "
                                + value);
                    }
                }
            default:
                return value instanceof BigDecimal number ? number.toPlainString() : String.valueOf(value);
        }
    }
}
