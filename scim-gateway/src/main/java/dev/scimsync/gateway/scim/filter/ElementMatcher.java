package dev.scimsync.gateway.scim.filter;

import com.fasterxml.jackson.databind.JsonNode;
import dev.scimsync.gateway.scim.JsonFields;
import dev.scimsync.gateway.scim.ScimException;
import dev.scimsync.gateway.scim.schema.Attribute;
import java.math.BigDecimal;
import java.util.Locale;

/**
 * Evaluates a value filter ({@code emails[type eq "work"]}) against one element of a multi-valued complex
 * attribute, in memory: PATCH paths select the elements they change this way (RFC 7644 section 3.5.2).
 */
public final class ElementMatcher {

    private final Attribute multiValued;

    public ElementMatcher(Attribute multiValued) {
        this.multiValued = multiValued;
    }

    public boolean matches(JsonNode element, Filter filter) {
        if (filter instanceof Filter.And and) {
            return matches(element, and.left()) && matches(element, and.right());
        }
        if (filter instanceof Filter.Or or) {
            return matches(element, or.left()) || matches(element, or.right());
        }
        if (filter instanceof Filter.Not not) {
            return !matches(element, not.filter());
        }
        if (filter instanceof Filter.ValuePath) {
            throw ScimException.invalidFilter("a value filter cannot contain another value filter");
        }
        AttributePath path = filter instanceof Filter.Present present ? present.path() : ((Filter.Compare) filter).path();
        Attribute sub = multiValued.subAttribute(path.attribute()).orElseThrow(() -> ScimException.invalidFilter(
                "'" + multiValued.name() + "' has no sub-attribute '" + path.attribute() + "'"));
        JsonNode value = JsonFields.get(element, sub.name());
        boolean present = value != null && !value.isNull() && !(value.isTextual() && value.asText().isEmpty());
        if (filter instanceof Filter.Present) {
            return present;
        }
        Filter.Compare compare = (Filter.Compare) filter;
        if (compare.value() == null) {
            return compare.operator() == Operator.EQ ? !present : present;
        }
        if (!present) {
            return compare.operator() == Operator.NE;
        }
        int order;
        if (sub.type() == Attribute.Type.BOOLEAN) {
            boolean actual = value.isBoolean() ? value.booleanValue() : Boolean.parseBoolean(value.asText());
            boolean expected = compare.value() instanceof Boolean b ? b : Boolean.parseBoolean(String.valueOf(compare.value()));
            order = Boolean.compare(actual, expected);
        } else if ((sub.type() == Attribute.Type.DECIMAL || sub.type() == Attribute.Type.INTEGER)
                && compare.value() instanceof BigDecimal expected && value.isNumber()) {
            order = value.decimalValue().compareTo(expected);
        } else {
            String actual = value.asText();
            String expected = compare.value() instanceof BigDecimal number ? number.toPlainString()
                    : String.valueOf(compare.value());
            if (!sub.caseExact()) {
                actual = actual.toLowerCase(Locale.ROOT);
                expected = expected.toLowerCase(Locale.ROOT);
            }
            switch (compare.operator()) {
                case CO:
                    return actual.contains(expected);
                case SW:
                    return actual.startsWith(expected);
                case EW:
                    return actual.endsWith(expected);
                default:
                    order = actual.compareTo(expected);
            }
        }
        return switch (compare.operator()) {
            case EQ -> order == 0;
            case NE -> order != 0;
            case GT -> order > 0;
            case GE -> order >= 0;
            case LT -> order < 0;
            case LE -> order <= 0;
            case CO, SW, EW -> throw ScimException.invalidFilter("'" + compare.operator().token()
                    + "' compares strings; '" + path + "' is not one");
        };
    }
}
