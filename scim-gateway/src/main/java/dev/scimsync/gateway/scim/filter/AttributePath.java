package dev.scimsync.gateway.scim.filter;

import java.util.Locale;
import java.util.Objects;

/**
 * {@code [schema URN ":"] attribute ["." subAttribute]} (RFC 7644 section 3.4.2.2, attrPath). Names keep
 * the case they were written in; compare them with {@link #matches}.
 *
 * @param schema       the schema URN that qualifies the attribute, or null
 * @param attribute    the attribute name
 * @param subAttribute the sub-attribute name, or null
 */
public record AttributePath(String schema, String attribute, String subAttribute) {

    public AttributePath {
        Objects.requireNonNull(attribute, "attribute");
    }

    public static AttributePath of(String attribute) {
        return new AttributePath(null, attribute, null);
    }

    public static AttributePath of(String attribute, String subAttribute) {
        return new AttributePath(null, attribute, subAttribute);
    }

    /** Attribute names are case-insensitive (RFC 7643 section 2.1). */
    public boolean matches(String attributeName) {
        return attribute.equalsIgnoreCase(attributeName);
    }

    public String lowerCaseKey() {
        return toString().toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return (schema == null ? "" : schema + ":") + attribute + (subAttribute == null ? "" : "." + subAttribute);
    }
}
