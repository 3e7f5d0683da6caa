package dev.scimsync.gateway.scim.filter;

import dev.scimsync.contracts.query.Criterion;
import dev.scimsync.contracts.query.Field;
import dev.scimsync.gateway.scim.ScimException;
import dev.scimsync.gateway.scim.schema.Attribute;
import dev.scimsync.gateway.scim.schema.Schema;
import dev.scimsync.gateway.scim.schema.UserSchemas;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Translates a SCIM filter on Users into the protocol-neutral {@link Criterion} that membership-service runs
 * as SQL, resolving every attribute against the User schemas (so names are case-insensitive, types and
 * caseExact come from the schema) and refusing what cannot be answered with {@code 400 invalidFilter}.
 */
public final class UserFilterTranslator {

    private UserFilterTranslator() {
    }

    public static Criterion translate(Filter filter) {
        return criterion(filter, null);
    }

    /** The field {@code sortBy} names (a singular attribute or a sub-attribute of a singular one). */
    public static Field sortField(String sortBy) {
        Resolved resolved = resolve(Comparisons.sortPath(sortBy));
        if (resolved.multiValuedParent() != null) {
            // A multi-valued attribute sorts by its first value.
            List<String> fieldPath = new ArrayList<>(resolved.parentPath());
            fieldPath.add("0");
            fieldPath.add(resolved.leaf().name());
            return Field.attribute(fieldPath, Comparisons.valueType(resolved.leaf()), resolved.leaf().caseExact());
        }
        if (resolved.leaf().isComplex()) {
            throw ScimException.invalidValue("sortBy '" + sortBy + "' names a complex attribute; name a sub-attribute");
        }
        return resolved.field();
    }

    private static Criterion criterion(Filter filter, Attribute elementOf) {
        if (filter instanceof Filter.And and) {
            return new Criterion.All(List.of(criterion(and.left(), elementOf), criterion(and.right(), elementOf)));
        }
        if (filter instanceof Filter.Or or) {
            return new Criterion.Any(List.of(criterion(or.left(), elementOf), criterion(or.right(), elementOf)));
        }
        if (filter instanceof Filter.Not not) {
            return new Criterion.Not(criterion(not.filter(), elementOf));
        }
        if (filter instanceof Filter.ValuePath valuePath) {
            Resolved resolved = resolve(valuePath.path());
            if (!resolved.leaf().isComplex() || !resolved.leaf().multiValued()) {
                throw ScimException.invalidFilter("'" + valuePath.path() + "' is not a multi-valued complex attribute, so "
                        + "it takes no [filter]");
            }
            return new Criterion.AnyElement(Field.attribute(resolved.path(), Field.ValueType.STRING, false),
                    criterion(valuePath.filter(), resolved.leaf()));
        }
        if (filter instanceof Filter.Present present) {
            return elementOf != null
                    ? new Criterion.Present(elementField(elementOf, present.path()))
                    : onAttribute(present.path(), field -> new Criterion.Present(field));
        }
        Filter.Compare compare = (Filter.Compare) filter;
        if (elementOf != null) {
            Field field = elementField(elementOf, compare.path());
            return Comparisons.compare(compare, field);
        }
        if (Comparisons.isResourceType(compare.path())) {
            return Comparisons.resourceTypeIs(compare, "User");
        }
        return onAttribute(compare.path(), field -> Comparisons.compare(compare, field));
    }

    /** A criterion on an attribute; on a sub-attribute of a multi-valued one it holds for some element. */
    private static Criterion onAttribute(AttributePath path, java.util.function.Function<Field, Criterion> make) {
        Resolved resolved = resolve(path);
        if (resolved.multiValuedParent() != null) {
            return new Criterion.AnyElement(Field.attribute(resolved.parentPath(), Field.ValueType.STRING, false),
                    make.apply(Field.element(List.of(resolved.leaf().name()), Comparisons.valueType(resolved.leaf()),
                            resolved.leaf().caseExact())));
        }
        if (resolved.leaf().isComplex() && resolved.leaf().multiValued()) {
            // "emails eq x" compares the values; "emails pr" asks for any element.
            Optional<Attribute> value = resolved.leaf().subAttribute("value");
            Criterion probe = make.apply(Field.attribute(resolved.path(), Field.ValueType.STRING, false));
            if (probe instanceof Criterion.Present) {
                return probe;
            }
            if (value.isEmpty()) {
                throw ScimException.invalidFilter("'" + path + "' is complex; filter on one of its sub-attributes");
            }
            return new Criterion.AnyElement(Field.attribute(resolved.path(), Field.ValueType.STRING, false),
                    make.apply(Field.element(List.of("value"), Comparisons.valueType(value.get()), value.get().caseExact())));
        }
        if (resolved.leaf().isComplex()) {
            Criterion probe = make.apply(Field.attribute(resolved.path(), Field.ValueType.STRING, false));
            if (probe instanceof Criterion.Present) {
                return probe;
            }
            throw ScimException.invalidFilter("'" + path + "' is complex; filter on one of its sub-attributes");
        }
        return make.apply(resolved.field());
    }

    private static Field elementField(Attribute multiValued, AttributePath path) {
        if (path.schema() != null || path.subAttribute() != null) {
            throw ScimException.invalidFilter("inside [...] name a sub-attribute of '" + multiValued.name() + "', not '"
                    + path + "'");
        }
        Attribute sub = multiValued.subAttribute(path.attribute()).orElseThrow(() -> ScimException.invalidFilter(
                "'" + multiValued.name() + "' has no sub-attribute '" + path.attribute() + "'"));
        return Field.element(List.of(sub.name()), Comparisons.valueType(sub), sub.caseExact());
    }

    /**
     * Where an attribute path points.
     *
     * @param path              the keys in the stored document
     * @param leaf              the attribute (or sub-attribute) named last
     * @param multiValuedParent the multi-valued complex attribute the leaf is a sub-attribute of, if any
     * @param column            the column for fixed attributes, else null
     */
    private record Resolved(List<String> path, Attribute leaf, Attribute multiValuedParent, Field column) {
        List<String> parentPath() {
            return path.subList(0, path.size() - 1);
        }

        Field field() {
            return column != null ? column : Field.attribute(path, Comparisons.valueType(leaf), leaf.caseExact());
        }
    }

    private static Resolved resolve(AttributePath path) {
        Schema schema = UserSchemas.CORE_USER;
        if (path.schema() != null && !UserSchemas.CORE_USER.is(path.schema())) {
            schema = UserSchemas.extension(path.schema()).orElseThrow(() -> ScimException.invalidFilter(
                    "unknown schema '" + path.schema() + "'"));
        }
        if (schema == UserSchemas.CORE_USER) {
            Optional<Resolved> common = common(path);
            if (common.isPresent()) {
                return common.get();
            }
        }
        Schema where = schema;
        Attribute attribute = schema.attribute(path.attribute()).orElseThrow(() -> ScimException.invalidFilter(
                "unknown attribute '" + path + "'"));
        if (attribute.mutability() == Attribute.Mutability.WRITE_ONLY || attribute.name().equals("groups")) {
            throw ScimException.invalidFilter("'" + attribute.name() + "' cannot be filtered on");
        }
        List<String> keys = new ArrayList<>();
        if (where != UserSchemas.CORE_USER) {
            keys.add(where.id());
        }
        keys.add(attribute.name());
        if (path.subAttribute() == null) {
            return new Resolved(keys, attribute, null, null);
        }
        Attribute sub = attribute.subAttribute(path.subAttribute()).orElseThrow(() -> ScimException.invalidFilter(
                "unknown attribute '" + path + "'"));
        keys.add(sub.name());
        return new Resolved(keys, sub, attribute.multiValued() ? attribute : null, null);
    }

    /** id, userName, externalId, active and meta dates live in columns of their own. */
    private static Optional<Resolved> common(AttributePath path) {
        Attribute string = Attribute.named(path.attribute(), Attribute.Type.STRING).build();
        Field column = null;
        if (path.subAttribute() == null) {
            if (path.matches("id")) {
                column = Field.column(Field.Source.ID, Field.ValueType.STRING, true);
            } else if (path.matches("userName")) {
                column = Field.column(Field.Source.USER_NAME, Field.ValueType.STRING, false);
            } else if (path.matches("externalId")) {
                column = Field.column(Field.Source.EXTERNAL_ID, Field.ValueType.STRING, true);
            } else if (path.matches("active")) {
                column = Field.column(Field.Source.ACTIVE, Field.ValueType.BOOLEAN, false);
            }
        } else if (path.matches("meta")) {
            if ("created".equalsIgnoreCase(path.subAttribute())) {
                column = Field.column(Field.Source.CREATED, Field.ValueType.INSTANT, false);
            } else if ("lastModified".equalsIgnoreCase(path.subAttribute())) {
                column = Field.column(Field.Source.LAST_MODIFIED, Field.ValueType.INSTANT, false);
            } else {
                throw ScimException.invalidFilter("'" + path + "' cannot be filtered on");
            }
        }
        if (column == null) {
            return Optional.empty();
        }
        return Optional.of(new Resolved(List.of(path.attribute()), string, null, column));
    }
}
