package dev.scimsync.gateway.scim.filter;

import dev.scimsync.contracts.query.Criterion;
import dev.scimsync.contracts.query.Field;
import dev.scimsync.contracts.query.Field.Source;
import dev.scimsync.contracts.query.Field.ValueType;
import dev.scimsync.gateway.scim.ScimException;
import dev.scimsync.gateway.scim.schema.Attribute;
import dev.scimsync.gateway.scim.schema.GroupSchemas;
import java.util.List;
import java.util.Map;

/**
 * Translates a SCIM filter on Groups into the {@link Criterion} group-sync-service runs as SQL. Groups are
 * stored as columns (id, displayName, externalId, dates) and a member table, so membership is asked as
 * "has this member": {@code members[value eq "id"]}, {@code members.value eq "id"} (Entra ID checks
 * membership with {@code id eq "g" and members[value eq "u"]}) or {@code members pr}. Anything else is
 * {@code 400 invalidFilter}.
 */
public final class GroupFilterTranslator {

    private static final Attribute MEMBERS = GroupSchemas.CORE_GROUP.attribute("members").orElseThrow();
    private static final Field MEMBER = Field.column(Source.MEMBER, ValueType.STRING,
            MEMBERS.subAttribute("value").orElseThrow().caseExact());
    /** The Group schema's singular attributes and the columns group-sync-service stores them in. */
    private static final Map<String, Source> COLUMNS = Map.of("displayName", Source.DISPLAY_NAME,
            "externalId", Source.EXTERNAL_ID);
    private static final String MEMBER_FILTERS = "members can only be filtered by id: members[value eq \"<user id>\"] "
            + "(several joined with 'or'), members.value eq \"<user id>\" or members pr";

    private GroupFilterTranslator() {
    }

    public static Criterion translate(Filter filter) {
        if (filter instanceof Filter.And and) {
            return new Criterion.All(List.of(translate(and.left()), translate(and.right())));
        }
        if (filter instanceof Filter.Or or) {
            return new Criterion.Any(List.of(translate(or.left()), translate(or.right())));
        }
        if (filter instanceof Filter.Not not) {
            return new Criterion.Not(translate(not.filter()));
        }
        if (filter instanceof Filter.ValuePath valuePath) {
            if (!isMembers(valuePath.path())) {
                throw ScimException.invalidFilter("'" + valuePath.path() + "' is not a multi-valued complex attribute of "
                        + "Group, so it takes no [filter]");
            }
            return memberElement(valuePath.filter());
        }
        if (filter instanceof Filter.Present present) {
            return isMembers(present.path()) ? new Criterion.Present(MEMBER) : new Criterion.Present(column(present.path()));
        }
        Filter.Compare compare = (Filter.Compare) filter;
        if (Comparisons.isResourceType(compare.path())) {
            return Comparisons.resourceTypeIs(compare, "Group");
        }
        if (isMembers(compare.path())) {
            return hasMember(compare);
        }
        return Comparisons.compare(compare, column(compare.path()));
    }

    /** The column {@code sortBy} names; members cannot be sorted by. */
    public static Field sortField(String sortBy) {
        AttributePath path = Comparisons.sortPath(sortBy);
        if (isMembers(path)) {
            throw ScimException.invalidValue("sortBy '" + sortBy + "': groups cannot be sorted by their members");
        }
        try {
            return column(path);
        } catch (ScimException e) {
            throw ScimException.invalidValue("sortBy '" + sortBy + "': " + e.detail());
        }
    }

    /** Inside {@code members[...]}: {@code value eq "id"} or {@code value pr}, joined with {@code or}. */
    private static Criterion memberElement(Filter filter) {
        if (filter instanceof Filter.Or or) {
            return new Criterion.Any(List.of(memberElement(or.left()), memberElement(or.right())));
        }
        if (filter instanceof Filter.Present present && isValue(present.path())) {
            return new Criterion.Present(MEMBER);
        }
        if (filter instanceof Filter.Compare compare && isValue(compare.path())) {
            return hasMember(compare);
        }
        throw ScimException.invalidFilter("'members[" + filter + "]': " + MEMBER_FILTERS);
    }

    private static Criterion hasMember(Filter.Compare compare) {
        if (compare.operator() != Operator.EQ || compare.value() == null) {
            throw ScimException.invalidFilter("'" + compare + "': " + MEMBER_FILTERS);
        }
        return Comparisons.compare(compare, MEMBER);
    }

    private static boolean isValue(AttributePath path) {
        return path.schema() == null && path.subAttribute() == null && path.matches("value");
    }

    /** {@code members} or {@code members.value}, optionally with the core Group URN. */
    private static boolean isMembers(AttributePath path) {
        checkSchema(path);
        if (!path.matches(MEMBERS.name())) {
            return false;
        }
        if (path.subAttribute() != null && !path.subAttribute().equalsIgnoreCase("value")) {
            throw ScimException.invalidFilter("'" + path + "': " + MEMBER_FILTERS);
        }
        return true;
    }

    /** The column of a singular attribute, named and compared as the Group schema defines it. */
    private static Field column(AttributePath path) {
        checkSchema(path);
        if (path.matches("id") && path.subAttribute() == null) {
            return Field.column(Source.ID, ValueType.STRING, true);
        }
        if (path.matches("meta")) {
            if ("created".equalsIgnoreCase(path.subAttribute())) {
                return Field.column(Source.CREATED, ValueType.INSTANT, false);
            }
            if ("lastModified".equalsIgnoreCase(path.subAttribute())) {
                return Field.column(Source.LAST_MODIFIED, ValueType.INSTANT, false);
            }
            throw ScimException.invalidFilter("'" + path + "' cannot be filtered on");
        }
        Attribute attribute = GroupSchemas.CORE_GROUP.attribute(path.attribute())
                .filter(a -> COLUMNS.containsKey(a.name()) && path.subAttribute() == null)
                .orElseThrow(() -> ScimException.invalidFilter("unknown attribute '" + path + "' (Groups have id, "
                        + "displayName, externalId, members, meta.created and meta.lastModified)"));
        return Field.column(COLUMNS.get(attribute.name()), ValueType.STRING, attribute.caseExact());
    }

    private static void checkSchema(AttributePath path) {
        if (path.schema() != null && !path.schema().equalsIgnoreCase(GroupSchemas.CORE)) {
            throw ScimException.invalidFilter("unknown schema '" + path.schema() + "' for Groups");
        }
    }
}
