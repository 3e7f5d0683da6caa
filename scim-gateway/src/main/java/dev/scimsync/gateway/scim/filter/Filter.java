package dev.scimsync.gateway.scim.filter;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * A SCIM filter (RFC 7644 section 3.4.2.2) as an immutable tree. {@link #toString()} prints a filter that
 * parses back to an equal tree.
 */
public sealed interface Filter {

    static Filter parse(String text) {
        return new FilterParser(text).parse();
    }

    /** {@code left and right} */
    record And(Filter left, Filter right) implements Filter {
        public And {
            Objects.requireNonNull(left);
            Objects.requireNonNull(right);
        }

        @Override
        public String toString() {
            return "(" + left + ") and (" + right + ")";
        }
    }

    /** {@code left or right} */
    record Or(Filter left, Filter right) implements Filter {
        public Or {
            Objects.requireNonNull(left);
            Objects.requireNonNull(right);
        }

        @Override
        public String toString() {
            return "(" + left + ") or (" + right + ")";
        }
    }

    /** {@code not (filter)} */
    record Not(Filter filter) implements Filter {
        public Not {
            Objects.requireNonNull(filter);
        }

        @Override
        public String toString() {
            return "not (" + filter + ")";
        }
    }

    /** {@code path pr}: the attribute has a non-empty value. */
    record Present(AttributePath path) implements Filter {
        public Present {
            Objects.requireNonNull(path);
        }

        @Override
        public String toString() {
            return path + " pr";
        }
    }

    /**
     * {@code path op value}.
     *
     * @param value a {@link String}, {@link Boolean}, {@link BigDecimal} or null
     */
    record Compare(AttributePath path, Operator operator, Object value) implements Filter {
        public Compare {
            Objects.requireNonNull(path);
            Objects.requireNonNull(operator);
            if (value != null && !(value instanceof String || value instanceof Boolean || value instanceof BigDecimal)) {
                throw new IllegalArgumentException("not a filter value: " + value.getClass());
            }
        }

        @Override
        public String toString() {
            return path + " " + operator.token() + " " + literal(value);
        }

        private static String literal(Object value) {
            if (value instanceof String text) {
                return '"' + text.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
            }
            if (value instanceof BigDecimal number) {
                return number.toPlainString();
            }
            return String.valueOf(value);
        }
    }

    /** {@code path[filter]}: some value of the multi-valued attribute matches the inner filter. */
    record ValuePath(AttributePath path, Filter filter) implements Filter {
        public ValuePath {
            Objects.requireNonNull(path);
            Objects.requireNonNull(filter);
        }

        @Override
        public String toString() {
            return path + "[" + filter + "]";
        }
    }
}
