package dev.scimsync.gateway.scim.patch;

import com.fasterxml.jackson.databind.JsonNode;
import dev.scimsync.contracts.GroupEdit;
import dev.scimsync.gateway.scim.GroupRequests;
import dev.scimsync.gateway.scim.ScimException;
import dev.scimsync.gateway.scim.filter.Filter;
import dev.scimsync.gateway.scim.filter.Operator;
import dev.scimsync.gateway.scim.schema.ResourceType;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Translates a Group PATCH (RFC 7644 section 3.5.2) into {@link GroupEdit}s for group-sync-service, in one
 * pass over the operations and without reading the group: a PATCH that adds ten thousand members becomes
 * one edit carrying ten thousand ids. The shapes IdPs send:
 * <ul>
 * <li>{@code add} / {@code replace} on {@code members} add the listed members / make them the only ones;</li>
 * <li>{@code remove} on {@code members} removes every member, or only the listed ones when it carries a
 * value (Entra ID); {@code remove} on {@code members[value eq "id"]} (several joined with {@code or})
 * removes those members;</li>
 * <li>{@code displayName} and {@code externalId} by path, or path-less with a value object (Okta sends
 * {@code {"op":"replace","value":{"id":"...","displayName":"..."}}}; the {@code id} is ignored);</li>
 * <li>removing {@code externalId} clears it; removing the required {@code displayName} is
 * {@code 400 invalidValue}.</li>
 * </ul>
 * Consecutive additions (or removals) merge into one edit, so Entra ID's one-operation-per-member
 * requests travel as a single batch. The member ids of all operations together are held to
 * {@code scim.limits.members-per-request}.
 */
public final class GroupPatchTranslator {

    private static final String MEMBER_FILTERS = "a members filter in a PATCH path names members by id: "
            + "members[value eq \"<user id>\"], several joined with 'or', each may add 'and type eq \"User\"'";

    private final GroupRequests requests;

    public GroupPatchTranslator(GroupRequests requests) {
        this.requests = requests;
    }

    /** @param operations parsed against {@link ResourceType#GROUP} */
    public List<GroupEdit> edits(List<PatchOperation> operations) {
        Edits edits = new Edits(requests);
        for (PatchOperation operation : operations) {
            if (operation.path() == null) {
                withoutPath(operation, edits);
            } else {
                at(operation.op(), operation.path(), operation.value(), edits);
            }
        }
        return edits.done();
    }

    /** Each key of the value is an attribute; read-only and unknown ones are ignored, as in a PUT body. */
    private void withoutPath(PatchOperation operation, Edits edits) {
        for (Iterator<Map.Entry<String, JsonNode>> fields = operation.value().fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            PatchPath path;
            try {
                path = PatchPath.parse(field.getKey(), ResourceType.GROUP);
            } catch (ScimException ignored) {
                continue;
            }
            at(operation.op(), path, field.getValue(), edits);
        }
    }

    private void at(PatchOperation.Op op, PatchPath path, JsonNode value, Edits edits) {
        String attribute = path.attribute().name();
        if (attribute.equals("displayName")) {
            if (op == PatchOperation.Op.REMOVE) {
                throw ScimException.invalidValue("'displayName' is required");
            }
            edits.add(GroupEdit.displayName(requests.displayName(value)));
        } else if (attribute.equals("externalId")) {
            edits.add(GroupEdit.externalId(op == PatchOperation.Op.REMOVE ? null : requests.externalId(value)));
        } else if (attribute.equals("members")) {
            members(op, path, value, edits);
        } else {
            throw ScimException.invalidPath("'" + path.text() + "' cannot be changed");
        }
    }

    private void members(PatchOperation.Op op, PatchPath path, JsonNode value, Edits edits) {
        if (path.subAttribute() != null) {
            throw ScimException.invalidPath("'" + path.text() + "': members are added, removed or replaced whole, "
                    + "by their value");
        }
        if (path.filter() != null) {
            if (op != PatchOperation.Op.REMOVE) {
                throw ScimException.invalidPath("'" + path.text() + "': only remove takes a members[...] filter; "
                        + "add members with path 'members'");
            }
            Set<String> ids = new LinkedHashSet<>();
            collectFilteredIds(path.filter(), ids);
            edits.add(GroupEdit.removeMembers(new ArrayList<>(ids)));
            return;
        }
        String where = path.text().trim();
        switch (op) {
            case ADD -> edits.add(GroupEdit.addMembers(requests.memberIds(value, where)));
            case REPLACE -> edits.add(GroupEdit.replaceMembers(requests.memberIds(value, where)));
            case REMOVE -> edits.add(value == null || value.isNull() ? GroupEdit.replaceMembers(List.of())
                    : GroupEdit.removeMembers(requests.memberIds(value, where)));
        }
    }

    private static void collectFilteredIds(Filter filter, Set<String> ids) {
        if (filter instanceof Filter.Or or) {
            collectFilteredIds(or.left(), ids);
            collectFilteredIds(or.right(), ids);
            return;
        }
        // members[value eq "x" and type eq "User"]: some clients name the member's type beside its id. Members are
        // users: "User" is every member, any other type none (a removal of nobody, as for an id that is no member).
        if (filter instanceof Filter.And and) {
            Optional<Boolean> leftType = typeIsUser(and.left());
            Optional<Boolean> rightType = typeIsUser(and.right());
            if (leftType.isPresent() != rightType.isPresent()) {
                boolean users = leftType.orElseGet(rightType::get);
                // Read either way, so a filter we cannot read is refused whatever type it names.
                Set<String> named = new LinkedHashSet<>();
                collectFilteredIds(leftType.isPresent() ? and.right() : and.left(), named);
                if (users) {
                    ids.addAll(named);
                }
                return;
            }
        }
        Object id = equalTo(filter, "value").orElse(null);
        if (id != null && !(id instanceof Boolean)) {
            ids.add(id instanceof BigDecimal number ? number.toPlainString() : id.toString());
            return;
        }
        throw ScimException.invalidFilter("'" + filter + "': " + MEMBER_FILTERS);
    }

    /** For {@code type eq "<t>"}: whether t is {@code User} (in any case); empty for any other comparison. */
    private static Optional<Boolean> typeIsUser(Filter filter) {
        return equalTo(filter, "type").filter(String.class::isInstance)
                .map(type -> ((String) type).equalsIgnoreCase("User"));
    }

    /** The value {@code filter} compares a member's own {@code attribute} to with {@code eq}, if that is what it is. */
    private static Optional<Object> equalTo(Filter filter, String attribute) {
        if (filter instanceof Filter.Compare compare && compare.operator() == Operator.EQ
                && compare.path().schema() == null && compare.path().subAttribute() == null
                && compare.path().matches(attribute)) {
            return Optional.ofNullable(compare.value());
        }
        return Optional.empty();
    }

    /**
     * The edits in order, with consecutive member additions (or removals) gathered into one edit, additions
     * or removals of nobody left out, and the member ids of all of them counted against the request's limit.
     */
    private static final class Edits {
        private final GroupRequests requests;
        private final List<GroupEdit> edits = new ArrayList<>();
        private GroupEdit.Kind gathering;
        private final Set<String> gathered = new LinkedHashSet<>();
        private int members;

        Edits(GroupRequests requests) {
            this.requests = requests;
        }

        void add(GroupEdit edit) {
            members += edit.members().size();
            requests.requireMembers(members);
            boolean gatherable = edit.kind() == GroupEdit.Kind.ADD_MEMBERS || edit.kind() == GroupEdit.Kind.REMOVE_MEMBERS;
            if (gatherable && edit.members().isEmpty()) {
                return;
            }
            if (gathering != edit.kind()) {
                flush();
            }
            if (gatherable) {
                gathering = edit.kind();
                gathered.addAll(edit.members());
            } else {
                edits.add(edit);
            }
        }

        List<GroupEdit> done() {
            flush();
            return List.copyOf(edits);
        }

        private void flush() {
            if (gathering != null) {
                edits.add(new GroupEdit(gathering, null, new ArrayList<>(gathered)));
                gathering = null;
                gathered.clear();
            }
        }
    }
}
