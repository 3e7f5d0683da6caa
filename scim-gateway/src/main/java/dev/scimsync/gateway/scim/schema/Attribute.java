package dev.scimsync.gateway.scim.schema;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One attribute definition (RFC 7643 section 7): its type and the characteristics that decide how it is
 * read, compared, stored and returned.
 */
public record Attribute(
        String name,
        Type type,
        boolean multiValued,
        boolean required,
        boolean caseExact,
        Mutability mutability,
        Returned returned,
        Uniqueness uniqueness,
        List<String> canonicalValues,
        boolean onlyCanonicalValues,
        List<String> referenceTypes,
        List<Attribute> subAttributes,
        String description) {

    public enum Type {
        STRING("string"), BOOLEAN("boolean"), DECIMAL("decimal"), INTEGER("integer"), DATE_TIME("dateTime"),
        BINARY("binary"), REFERENCE("reference"), COMPLEX("complex");

        private final String wireName;

        Type(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }
    }

    public enum Mutability {
        READ_ONLY("readOnly"), READ_WRITE("readWrite"), IMMUTABLE("immutable"), WRITE_ONLY("writeOnly");

        private final String wireName;

        Mutability(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }
    }

    public enum Returned {
        ALWAYS, NEVER, DEFAULT, REQUEST;

        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public enum Uniqueness {
        NONE, SERVER, GLOBAL;

        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public Attribute {
        canonicalValues = List.copyOf(canonicalValues);
        referenceTypes = List.copyOf(referenceTypes);
        subAttributes = List.copyOf(subAttributes);
    }

    /** Attribute names are case-insensitive (RFC 7643 section 2.1). */
    public Optional<Attribute> subAttribute(String subName) {
        return subAttributes.stream().filter(sub -> sub.name.equalsIgnoreCase(subName)).findFirst();
    }

    public boolean isComplex() {
        return type == Type.COMPLEX;
    }

    public boolean isReadOnly() {
        return mutability == Mutability.READ_ONLY;
    }

    public static Builder named(String name, Type type) {
        return new Builder(name, type);
    }

    /** Defaults as RFC 7643 section 2.2 gives them: single-valued, optional, readWrite, returned by default. */
    public static final class Builder {
        private final String name;
        private final Type type;
        private boolean multiValued;
        private boolean required;
        private boolean caseExact;
        private Mutability mutability = Mutability.READ_WRITE;
        private Returned returned = Returned.DEFAULT;
        private Uniqueness uniqueness = Uniqueness.NONE;
        private List<String> canonicalValues = List.of();
        private boolean onlyCanonicalValues;
        private List<String> referenceTypes = List.of();
        private final List<Attribute> subAttributes = new ArrayList<>();
        private String description = "";

        private Builder(String name, Type type) {
            this.name = name;
            this.type = type;
        }

        public Builder multiValued() {
            multiValued = true;
            return this;
        }

        public Builder required() {
            required = true;
            return this;
        }

        public Builder caseExact() {
            caseExact = true;
            return this;
        }

        public Builder mutability(Mutability value) {
            mutability = value;
            return this;
        }

        public Builder returned(Returned value) {
            returned = value;
            return this;
        }

        public Builder uniqueness(Uniqueness value) {
            uniqueness = value;
            return this;
        }

        public Builder canonicalValues(String... values) {
            canonicalValues = List.of(values);
            return this;
        }

        /** Canonical values that are the only ones accepted (most canonical values are only suggestions). */
        public Builder onlyCanonicalValues(String... values) {
            canonicalValues = List.of(values);
            onlyCanonicalValues = true;
            return this;
        }

        public Builder referenceTypes(String... types) {
            referenceTypes = List.of(types);
            return this;
        }

        public Builder subAttributes(Attribute... attributes) {
            subAttributes.addAll(List.of(attributes));
            return this;
        }

        public Builder description(String text) {
            description = text;
            return this;
        }

        public Attribute build() {
            return new Attribute(name, type, multiValued, required, caseExact, mutability, returned, uniqueness,
                    canonicalValues, onlyCanonicalValues, referenceTypes, subAttributes, description);
        }
    }
}
