package dev.scimsync.groupsync.persistence;

import dev.scimsync.contracts.query.Criterion;
import dev.scimsync.contracts.query.Field;
import dev.scimsync.contracts.query.ResourceQuery;
import dev.scimsync.runtime.LikePatterns;
import dev.scimsync.runtime.ValueComparisons;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Turns the gateway's protocol-neutral {@link Criterion} on groups into a SQL condition on {@code scim_group g}
 * with {@code $n} parameters. Values are always parameters, never spliced into the text.
 */
public final class GroupQuerySql {

    private final List<Object> params = new ArrayList<>();
    /** Parameters before this condition's own. */
    private final int offset;

    private GroupQuerySql(int firstParam) {
        this.offset = firstParam - 1;
    }

    public record Condition(String sql, List<Object> params) {
    }

    /**
     * The condition for {@code criterion} (true for null); its parameters start at {@code $firstParam}, the
     * returned list holds only them.
     */
    public static Condition where(Criterion criterion, int firstParam) {
        GroupQuerySql builder = new GroupQuerySql(firstParam);
        String sql = criterion == null ? "true" : builder.condition(criterion);
        return new Condition(sql, builder.params);
    }

    /**
     * Whether the query reads one group at most, by an index entry: its filter requires one displayName (unique per
     * connection, without case) or one id, alone or together with other conditions, on the first page.
     */
    public static boolean namesOneGroupAtMost(ResourceQuery query) {
        return query.startIndex() == 1 && query.after() == null
                && Criterion.requiresEquality(query.filter(), Set.of(Field.Source.DISPLAY_NAME, Field.Source.ID));
    }

    /** {@code order by} for the requested field; the id breaks ties so pages never overlap. */
    public static String orderBy(Field sortBy, boolean descending) {
        if (sortBy == null) {
            return "g.created_at, g.id";
        }
        String direction = descending ? " desc nulls last" : " asc nulls last";
        return column(sortBy) + direction + ", g.id";
    }

    private String condition(Criterion criterion) {
        if (criterion instanceof Criterion.All all) {
            return join(all.criteria(), " and ", "true");
        }
        if (criterion instanceof Criterion.Any any) {
            return join(any.criteria(), " or ", "false");
        }
        if (criterion instanceof Criterion.Not not) {
            return "not coalesce(" + condition(not.criterion()) + ", false)";
        }
        if (criterion instanceof Criterion.Present present) {
            return present(present.field());
        }
        if (criterion instanceof Criterion.Compare compare) {
            return compare(compare);
        }
        throw new IllegalArgumentException("groups have no " + criterion.getClass().getSimpleName() + " criterion");
    }

    private String present(Field field) {
        if (field.source() == Field.Source.MEMBER) {
            return "exists (select 1 from group_member m where m.group_id = g.id)";
        }
        String column = column(field);
        return field.type() == Field.ValueType.STRING
                ? "(" + column + " is not null and " + column + " <> '')"
                : column + " is not null";
    }

    /**
     * An empty list is what a filter that holds for every group, or for none, translates to ({@code
     * meta.resourceType eq "Group"}): {@code empty}, not the {@code ()} PostgreSQL cannot read.
     */
    private String join(List<Criterion> criteria, String operator, String empty) {
        if (criteria.isEmpty()) {
            return empty;
        }
        List<String> parts = new ArrayList<>();
        criteria.forEach(c -> parts.add(condition(c)));
        return "(" + String.join(operator, parts) + ")";
    }

    private String compare(Criterion.Compare compare) {
        Field field = compare.field();
        if (field.source() == Field.Source.MEMBER) {
            if (compare.operator() != Criterion.Operator.EQ) {
                throw new IllegalArgumentException("members can only be matched with eq");
            }
            Optional<UUID> member = uuid(compare.value());
            return member.map(id -> "exists (select 1 from group_member m where m.group_id = g.id and m.user_id = "
                    + param(id) + ")").orElse("false");
        }
        boolean equality = compare.operator() == Criterion.Operator.EQ || compare.operator() == Criterion.Operator.NE;
        if (compare.value() == null) {
            if (!equality) {
                throw new IllegalArgumentException(compare.operator() + " cannot compare with null");
            }
            return ValueComparisons.withNull(compare.operator() == Criterion.Operator.EQ, present(field));
        }
        if (field.source() == Field.Source.ID && equality) {
            return ValueComparisons.byKey("g.id", compare.operator() == Criterion.Operator.EQ, compare.value(),
                    this::param);
        }
        String column = column(field);
        if (field.type() == Field.ValueType.INSTANT) {
            String value = param(instant(compare.value()));
            return column + " " + ordering(compare.operator()) + " " + value;
        }
        boolean ignoreCase = !field.caseExact();
        String left = ignoreCase ? "lower(" + column + ")" : column;
        String text = compare.value().toString();
        switch (compare.operator()) {
            case CONTAINS:
                return left + " like " + likeParam("%" + LikePatterns.literal(text) + "%", ignoreCase) + LikePatterns.ESCAPE;
            case STARTS_WITH:
                return left + " like " + likeParam(LikePatterns.literal(text) + "%", ignoreCase) + LikePatterns.ESCAPE;
            case ENDS_WITH:
                return left + " like " + likeParam("%" + LikePatterns.literal(text), ignoreCase) + LikePatterns.ESCAPE;
            case NE:
                return "(" + column + " is null or " + left + " <> " + textParam(text, ignoreCase) + ")";
            default:
                return left + " " + ordering(compare.operator()) + " " + textParam(text, ignoreCase);
        }
    }

    private static String ordering(Criterion.Operator operator) {
        switch (operator) {
            case EQ:
                return "=";
            case NE:
                return "<>";
            case GT:
                return ">";
            case GE:
                return ">=";
            case LT:
                return "<";
            case LE:
                return "<=";
            default:
                throw new IllegalArgumentException(operator + " applies to strings only");
        }
    }

    private String textParam(String value, boolean ignoreCase) {
        String placeholder = param(value);
        return ignoreCase ? "lower(" + placeholder + ")" : placeholder;
    }

    private String likeParam(String pattern, boolean ignoreCase) {
        return textParam(pattern, ignoreCase);
    }

    private String param(Object value) {
        params.add(value);
        return "$" + (offset + params.size());
    }

    private static String column(Field field) {
        switch (field.source()) {
            case ID:
                return "cast(g.id as text)";
            case DISPLAY_NAME:
                return "g.display_name";
            case EXTERNAL_ID:
                return "g.external_id";
            case CREATED:
                return "g.created_at";
            case LAST_MODIFIED:
                return "g.last_modified";
            default:
                throw new IllegalArgumentException(field.source() + " is not a group field");
        }
    }

    private static OffsetDateTime instant(Object value) {
        try {
            return OffsetDateTime.parse(value.toString());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("expected an ISO-8601 date-time, got " + value);
        }
    }

    private static Optional<UUID> uuid(Object value) {
        try {
            return value == null ? Optional.empty() : Optional.of(UUID.fromString(value.toString()));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
