package dev.scimsync.gateway.scim.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.scimsync.gateway.scim.JsonFields;
import dev.scimsync.gateway.scim.ScimException;
import dev.scimsync.gateway.scim.ScimLimits;
import dev.scimsync.gateway.scim.UserRequests;
import dev.scimsync.gateway.scim.filter.ElementMatcher;
import dev.scimsync.gateway.scim.filter.Filter;
import dev.scimsync.gateway.scim.filter.Operator;
import dev.scimsync.gateway.scim.schema.Attribute;
import dev.scimsync.gateway.scim.schema.ResourceType;
import dev.scimsync.gateway.scim.schema.Schema;
import dev.scimsync.gateway.scim.schema.UserSchemas;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Applies PATCH operations (RFC 7644 section 3.5.2) to a user's canonical document, all or nothing: the
 * operations work on a copy, and the result is normalized again (types, empty values, one primary), so a
 * failing operation leaves the stored user untouched. Real IdP shapes are handled on purpose: Okta's
 * path-less replace whose value carries {@code id} (ignored), Entra ID's path-less replace with dotted and
 * URN-qualified keys, and Entra's add or replace on a filter path that matches nothing (it creates the
 * element the filter describes).
 */
public final class UserPatcher {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final UserRequests requests;
    private final ScimLimits limits;

    public UserPatcher(UserRequests requests, ScimLimits limits) {
        this.requests = requests;
        this.limits = limits;
    }

    public ObjectNode apply(ObjectNode current, List<PatchOperation> operations) {
        ObjectNode document = current.deepCopy();
        for (PatchOperation operation : operations) {
            if (operation.path() == null) {
                applyWithoutPath(document, operation);
            } else {
                applyAt(document, operation.op(), operation.path(), operation.value());
            }
        }
        try {
            return requests.canonical(document);
        } catch (ScimLimits.Exceeded exceeded) {
            // A user stored before the limits existed may hold a longer value: a PATCH of it - a deactivation
            // above all - is applied rather than refused for a value the IdP did not send now.
            if (withinLimits(current)) {
                throw exceeded;
            }
            return requests.withoutAttributeLimits().canonical(document);
        }
    }

    /**
     * Whether the operations, read for {@code active} alone, set it to {@code false}: the deactivation a PATCH
     * refused for another of its operations still asks for (the gateway sends it alone:
     * {@code UserCommand.deactivationAlone}). Entra ID sends a user's changes, a deactivation among them, as one
     * PATCH.
     */
    public boolean deactivates(List<PatchOperation> operations) {
        List<PatchOperation> onActive = new ArrayList<>();
        for (PatchOperation operation : operations) {
            if (operation.path() == null) {
                ObjectNode stated = JSON.objectNode();
                operation.value().fields().forEachRemaining(field -> {
                    if (UserRequests.isCoreAttribute(field.getKey(), "active")) {
                        stated.set(field.getKey(), field.getValue());
                    }
                });
                if (!stated.isEmpty()) {
                    onActive.add(new PatchOperation(operation.op(), null, stated));
                }
            } else if (operation.path().inCoreSchema() && operation.path().filter() == null
                    && operation.path().attribute().name().equals("active")) {
                onActive.add(operation);
            }
        }
        try {
            JsonNode active = apply(JSON.objectNode(), onActive).get("active");
            return active != null && !active.booleanValue();
        } catch (ScimException unreadable) {
            return false;
        }
    }

    private boolean withinLimits(ObjectNode stored) {
        try {
            requests.canonical(stored);
            return true;
        } catch (ScimLimits.Exceeded exceeded) {
            return false;
        }
    }

    /** Each key of the value is an attribute (or a path: dotted, URN-qualified, or an extension object). */
    private void applyWithoutPath(ObjectNode document, PatchOperation operation) {
        for (Iterator<Map.Entry<String, JsonNode>> fields = operation.value().fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            Optional<Schema> extension = UserSchemas.extension(field.getKey());
            if (extension.isPresent() && field.getValue().isObject()) {
                field.getValue().fields().forEachRemaining(sub -> applyKey(document, operation.op(),
                        extension.get().id() + ":" + sub.getKey(), sub.getValue()));
            } else {
                applyKey(document, operation.op(), field.getKey(), field.getValue());
            }
        }
    }

    /** A key of a path-less value: read-only and unknown ones are ignored, as in a PUT body. */
    private void applyKey(ObjectNode document, PatchOperation.Op op, String key, JsonNode value) {
        PatchPath path;
        try {
            path = PatchPath.parse(key, ResourceType.USER);
        } catch (ScimException ignored) {
            return;
        }
        applyAt(document, op, path, value);
    }

    private void applyAt(ObjectNode document, PatchOperation.Op op, PatchPath path, JsonNode value) {
        if (path.attribute().mutability() == Attribute.Mutability.WRITE_ONLY) {
            return; // password: accepted, never stored
        }
        ObjectNode container = container(document, path, op != PatchOperation.Op.REMOVE);
        if (container == null) {
            if (path.filter() != null && op == PatchOperation.Op.REMOVE) {
                throw ScimException.noTarget("'" + path.text() + "' matches no value");
            }
            return;
        }
        String name = key(container, path.attribute().name());
        if (path.filter() != null) {
            applyToElements(container, name, op, path, value);
        } else if (path.subAttribute() != null) {
            applySubAttribute(container, name, op, path, value);
        } else {
            applyAttribute(container, name, op, path.attribute(), value);
        }
        if (path.containerKey() != null && container.isEmpty()) {
            document.remove(path.containerKey());
        }
    }

    private void applyAttribute(ObjectNode container, String name, PatchOperation.Op op, Attribute attribute,
            JsonNode value) {
        switch (op) {
            case REMOVE -> {
                if (value != null && attribute.multiValued() && container.get(name) instanceof ArrayNode elements) {
                    removeListedValues(elements, value, attribute);
                    if (elements.isEmpty()) {
                        container.remove(name);
                    }
                } else {
                    container.remove(name);
                }
            }
            case REPLACE -> {
                // RFC 7644 3.5.2.3: a complex attribute's sub-attributes the value does not name are left unchanged
                // ({"op": "replace", "path": "name", "value": {"givenName": "Pat"}} keeps familyName). A new
                // "value" (the enterprise manager's id) is another thing referred to: its old $ref and displayName
                // described the one before, so it is replaced whole.
                if (!attribute.multiValued() && attribute.isComplex() && container.get(name) instanceof ObjectNode object
                        && value != null && value.isObject() && !value.has("value")) {
                    object.setAll((ObjectNode) value);
                } else {
                    container.set(name, value);
                }
            }
            case ADD -> {
                JsonNode existing = container.get(name);
                if (attribute.multiValued()) {
                    // Counted as they come, so no request makes the duplicate check quadratic in a huge list.
                    ArrayNode elements = existing instanceof ArrayNode array ? array : container.putArray(name);
                    JsonNode added = value.isArray() ? value : JSON.arrayNode().add(value);
                    ScimLimits.requireEntries(attribute.name(), added.size(), limits.multiValuedEntries());
                    for (JsonNode element : added) {
                        if (!contains(elements, element)) {
                            if (element.path("primary").asBoolean(false)) {
                                clearPrimary(elements);
                            }
                            elements.add(element);
                            ScimLimits.requireEntries(attribute.name(), elements.size(), limits.multiValuedEntries());
                        }
                    }
                } else if (attribute.isComplex() && existing instanceof ObjectNode object && value.isObject()) {
                    object.setAll((ObjectNode) value);
                } else {
                    container.set(name, value);
                }
            }
        }
    }

    /** {@code name.givenName}, or a sub-attribute of every element of a multi-valued attribute. */
    private static void applySubAttribute(ObjectNode container, String name, PatchOperation.Op op, PatchPath path,
            JsonNode value) {
        JsonNode existing = container.get(name);
        String sub = path.subAttribute().name();
        if (path.attribute().multiValued()) {
            if (existing instanceof ArrayNode elements) {
                for (JsonNode element : elements) {
                    setOrRemove((ObjectNode) element, sub, op, value);
                }
            }
            return;
        }
        ObjectNode complex = existing instanceof ObjectNode object ? object : null;
        if (complex == null) {
            if (op == PatchOperation.Op.REMOVE) {
                return;
            }
            complex = container.putObject(name);
        }
        setOrRemove(complex, sub, op, value);
        if (complex.isEmpty()) {
            container.remove(name);
        }
    }

    /** {@code emails[type eq "work"]} and {@code emails[type eq "work"].value}. */
    private static void applyToElements(ObjectNode container, String name, PatchOperation.Op op, PatchPath path,
            JsonNode value) {
        ArrayNode elements = container.get(name) instanceof ArrayNode array ? array : container.putArray(name);
        ElementMatcher matcher = new ElementMatcher(path.attribute());
        List<ObjectNode> matched = new ArrayList<>();
        for (JsonNode element : elements) {
            if (element instanceof ObjectNode object && matcher.matches(object, path.filter())) {
                matched.add(object);
            }
        }
        if (matched.isEmpty()) {
            if (op == PatchOperation.Op.REMOVE) {
                throw ScimException.noTarget("'" + path.text() + "' matches no value");
            }
            // Entra ID adds or replaces e.g. emails[type eq "work"].value on a user without a work email:
            // it means "the element the filter describes", so create it.
            ObjectNode created = describedBy(path.filter()).orElseThrow(() -> ScimException.noTarget(
                    "'" + path.text() + "' matches no value, and its filter does not describe one to create"));
            if (path.subAttribute() != null) {
                created.set(path.subAttribute().name(), value);
            } else if (value.isObject()) {
                created.setAll((ObjectNode) value);
            } else {
                throw ScimException.invalidValue("'" + path.text() + "' takes an object value");
            }
            if (created.path("primary").asBoolean(false)) {
                clearPrimary(elements);
            }
            elements.add(created);
            return;
        }
        for (ObjectNode element : matched) {
            if (path.subAttribute() != null) {
                setOrRemove(element, path.subAttribute().name(), op, value);
            } else if (op == PatchOperation.Op.REMOVE) {
                elements.removeIf(candidate -> candidate == element);
            } else if (value.isObject()) {
                if (value.path("primary").asBoolean(false)) {
                    clearPrimary(elements);
                }
                if (op == PatchOperation.Op.REPLACE) {
                    element.removeAll();
                }
                element.setAll((ObjectNode) value);
            } else {
                throw ScimException.invalidValue("'" + path.text() + "' takes an object value");
            }
        }
        if (elements.isEmpty()) {
            container.remove(name);
        }
    }

    /** The element an equality filter describes: {@code type eq "work" and primary eq true}. */
    private static Optional<ObjectNode> describedBy(Filter filter) {
        ObjectNode element = JSON.objectNode();
        return describe(filter, element) ? Optional.of(element) : Optional.empty();
    }

    private static boolean describe(Filter filter, ObjectNode element) {
        if (filter instanceof Filter.And and) {
            return describe(and.left(), element) && describe(and.right(), element);
        }
        if (filter instanceof Filter.Compare compare && compare.operator() == Operator.EQ && compare.value() != null
                && compare.path().subAttribute() == null) {
            Object value = compare.value();
            element.set(compare.path().attribute(), value instanceof Boolean b ? JSON.booleanNode(b)
                    : value instanceof java.math.BigDecimal n ? JSON.numberNode(n) : JSON.textNode(value.toString()));
            return true;
        }
        return false;
    }

    private static void setOrRemove(ObjectNode target, String name, PatchOperation.Op op, JsonNode value) {
        String key = key(target, name);
        if (op == PatchOperation.Op.REMOVE) {
            target.remove(key);
        } else {
            target.remove(key);
            target.set(name, value);
        }
    }

    /** Entra ID's remove with a value list: remove the elements whose value is listed. */
    private static void removeListedValues(ArrayNode elements, JsonNode listed, Attribute attribute) {
        List<String> values = new ArrayList<>();
        for (JsonNode item : listed.isArray() ? listed : JSON.arrayNode().add(listed)) {
            JsonNode value = item.isObject() ? JsonFields.get(item, "value") : item;
            if (value != null && !value.isNull()) {
                values.add(value.asText());
            }
        }
        boolean caseExact = attribute.subAttribute("value").map(Attribute::caseExact).orElse(false);
        elements.removeIf(element -> {
            JsonNode value = element.isObject() ? JsonFields.get(element, "value") : element;
            return value != null && values.stream().anyMatch(v -> caseExact ? v.equals(value.asText())
                    : v.equalsIgnoreCase(value.asText()));
        });
    }

    private static boolean contains(ArrayNode elements, JsonNode candidate) {
        for (JsonNode element : elements) {
            if (element.equals(candidate)) {
                return true;
            }
        }
        return false;
    }

    /** A new primary value takes the flag from the others (RFC 7643 section 2.4: at most one primary). */
    private static void clearPrimary(ArrayNode elements) {
        for (JsonNode element : elements) {
            if (element instanceof ObjectNode object && object.has("primary")) {
                object.put("primary", false);
            }
        }
    }

    private static ObjectNode container(ObjectNode document, PatchPath path, boolean create) {
        if (path.containerKey() == null) {
            return document;
        }
        String key = key(document, path.containerKey());
        if (document.get(key) instanceof ObjectNode extension) {
            return extension;
        }
        return create ? document.putObject(path.containerKey()) : null;
    }

    /** The document's own spelling of a key, so a case-different name replaces rather than duplicates. */
    private static String key(JsonNode node, String name) {
        String existing = JsonFields.key(node, name);
        return existing == null ? name : existing;
    }
}
