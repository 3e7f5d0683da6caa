package dev.scimsync.gateway.scim.filter;

import java.util.Locale;
import java.util.Optional;

/** The comparison operators of RFC 7644 section 3.4.2.2, with their wire tokens. */
public enum Operator {
    EQ, NE, CO, SW, EW, GT, GE, LT, LE;

    public String token() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Operators are case-insensitive on the wire. */
    public static Optional<Operator> fromToken(String token) {
        for (Operator operator : values()) {
            if (operator.name().equalsIgnoreCase(token)) {
                return Optional.of(operator);
            }
        }
        return Optional.empty();
    }
}
