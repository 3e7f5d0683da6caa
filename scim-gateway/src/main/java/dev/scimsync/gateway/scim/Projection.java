package dev.scimsync.gateway.scim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.scimsync.gateway.scim.schema.ResourceType;
import dev.scimsync.gateway.scim.schema.Schema;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code attributes} / {@code excludedAttributes} (RFC 7644 section 3.9): which attributes a response
 * carries. {@code id} and {@code schemas} are returned always; {@code password} never (it is not stored).
 * A value filter in a name (Microsoft's test sends {@code emails[type eq "work"]}) selects the attribute.
 * Names may carry the URN of any resource type's core schema or extension.
 */
public final class Projection {

    private static final List<String> ALWAYS = List.of("id", "schemas");

    private record Path(String container, String attribute, String subAttribute) {
    }

    private final List<Path> included;
    private final List<Path> excluded;

    private Projection(List<Path> included, List<Path> excluded) {
        this.included = included;
        this.excluded = excluded;
    }

    public static Projection all() {
        return new Projection(List.of(), List.of());
    }

    /** From the comma-separated query parameters (either may be null). */
    public static Projection of(String attributes, String excludedAttributes) {
        return new Projection(paths(attributes), paths(excludedAttributes));
    }

    public static Projection of(List<String> attributes, List<String> excludedAttributes) {
        return of(attributes == null ? null : String.join(",", attributes),
                excludedAttributes == null ? null : String.join(",", excludedAttributes));
    }

    /**
     * Whether the response carries the core attribute at all; an attribute that is expensive to load
     * (a group's members, a user's groups) is loaded only when it is.
     */
    public boolean wants(String attribute) {
        if (!included.isEmpty()) {
            return included.stream().anyMatch(path -> path.container() == null && attribute.equalsIgnoreCase(path.attribute()));
        }
        return excluded.stream().noneMatch(path -> path.container() == null && path.subAttribute() == null
                && attribute.equalsIgnoreCase(path.attribute()));
    }

    /**
     * Applies to a rendered resource (its core schema first in {@code schemas}), whose schemas list is then
     * brought in line with what is left: the core schema and the extensions that have attributes.
     */
    public ObjectNode apply(ObjectNode resource) {
        String core = resource.path("schemas").path(0).asText();
        ObjectNode result;
        if (!included.isEmpty()) {
            result = resource.objectNode();
            for (String always : ALWAYS) {
                if (resource.has(always)) {
                    result.set(always, resource.get(always));
                }
            }
            for (Path path : included) {
                copy(resource, result, path);
            }
        } else {
            result = resource.deepCopy();
            for (Path path : excluded) {
                remove(result, path);
            }
        }
        ArrayNode schemas = result.putArray("schemas").add(core);
        for (ResourceType type : ResourceType.ALL) {
            for (Schema extension : type.extensions()) {
                if (result.has(extension.id())) {
                    schemas.add(extension.id());
                }
            }
        }
        return result;
    }

    private static void copy(ObjectNode from, ObjectNode to, Path path) {
        ObjectNode source = from;
        ObjectNode target = to;
        if (path.container() != null) {
            String urn = JsonFields.key(from, path.container());
            if (urn == null || !(from.get(urn) instanceof ObjectNode extension)) {
                return;
            }
            source = extension;
            target = to.get(urn) instanceof ObjectNode existing ? existing : to.putObject(urn);
            if (path.attribute() == null) {
                to.set(urn, extension.deepCopy());
                return;
            }
        }
        String key = JsonFields.key(source, path.attribute());
        if (key == null) {
            return;
        }
        JsonNode value = source.get(key);
        if (path.subAttribute() == null) {
            target.set(key, value.deepCopy());
        } else if (value.isObject()) {
            String sub = JsonFields.key(value, path.subAttribute());
            if (sub != null) {
                ObjectNode complex = target.get(key) instanceof ObjectNode existing ? existing : target.putObject(key);
                complex.set(sub, value.get(sub).deepCopy());
            }
        } else if (value.isArray()) {
            ArrayNode elements = target.putArray(key);
            for (JsonNode element : value) {
                String sub = JsonFields.key(element, path.subAttribute());
                if (sub != null) {
                    elements.addObject().set(sub, element.get(sub).deepCopy());
                }
            }
        }
    }

    private static void remove(ObjectNode resource, Path path) {
        ObjectNode container = resource;
        if (path.container() != null) {
            String urn = JsonFields.key(resource, path.container());
            if (urn == null || !(resource.get(urn) instanceof ObjectNode extension)) {
                return;
            }
            if (path.attribute() == null) {
                resource.remove(urn);
                return;
            }
            container = extension;
        }
        String key = JsonFields.key(container, path.attribute());
        if (key == null || (path.container() == null && ALWAYS.contains(key))) {
            return;
        }
        if (path.subAttribute() == null) {
            container.remove(key);
            return;
        }
        JsonNode value = container.get(key);
        List<JsonNode> targets = new ArrayList<>();
        if (value.isObject()) {
            targets.add(value);
        } else if (value.isArray()) {
            value.forEach(targets::add);
        }
        for (JsonNode target : targets) {
            String sub = JsonFields.key(target, path.subAttribute());
            if (sub != null) {
                ((ObjectNode) target).remove(sub);
            }
        }
    }

    private static List<Path> paths(String list) {
        List<Path> paths = new ArrayList<>();
        if (list == null || list.isBlank()) {
            return paths;
        }
        for (String raw : list.split(",")) {
            String name = raw.trim().replaceAll("\\[.*]", "");
            if (name.isEmpty()) {
                continue;
            }
            String container = null;
            String rest = name;
            String lower = name.toLowerCase(Locale.ROOT);
            for (ResourceType type : ResourceType.ALL) {
                for (Schema extension : type.extensions()) {
                    if (lower.startsWith(extension.id().toLowerCase(Locale.ROOT))) {
                        container = extension.id();
                        rest = name.length() > extension.id().length() ? name.substring(extension.id().length() + 1) : null;
                    }
                }
                String core = type.schema().id();
                if (container == null && lower.startsWith(core.toLowerCase(Locale.ROOT) + ":")) {
                    rest = name.substring(core.length() + 1);
                }
            }
            if (rest == null) {
                paths.add(new Path(container, null, null));
                continue;
            }
            String[] parts = rest.split("\\.", 2);
            paths.add(new Path(container, parts[0], parts.length == 2 ? parts[1] : null));
        }
        return paths;
    }
}
