package dev.scimsync.gateway.scim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.scimsync.contracts.Placement;
import dev.scimsync.contracts.UserProfile;
import dev.scimsync.gateway.scim.schema.Attribute;
import dev.scimsync.gateway.scim.schema.Schema;
import dev.scimsync.gateway.scim.schema.UserSchemas;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a User resource as IdPs send it (RFC 7643 section 4.1) into the canonical profile that travels in
 * commands and is stored:
 * <ul>
 * <li>attribute names take the schema's spelling (they are case-insensitive, section 2.1);</li>
 * <li>values take the schema's type; Entra ID's "True"/"False" strings become booleans, a bare string for a
 * complex attribute (Entra's {@code manager}) becomes its {@code value};</li>
 * <li>read-only attributes ({@code id}, {@code meta}, {@code groups}) are ignored (section 2.2), unknown
 * attributes are ignored (and counted for the admin's troubleshooting page: {@link UnknownAttributes}),
 * {@code password} is accepted and never stored;</li>
 * <li>{@code null} and {@code ""} clear an attribute (RFC 7644 section 3.5.1);</li>
 * <li>dotted ({@code name.givenName}) and URN-qualified keys are placed where they belong.</li>
 * </ul>
 */
public final class UserRequests {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final ScimLimits limits;
    /** False only for a document that already holds values stored before the limits existed. */
    private final boolean attributeLimits;

    public UserRequests(ScimLimits limits) {
        this(limits, true);
    }

    private UserRequests(ScimLimits limits, boolean attributeLimits) {
        this.limits = limits;
        this.attributeLimits = attributeLimits;
    }

    /**
     * The same rules without the attribute lengths and entry counts of {@link ScimLimits}: for a PATCH of a user
     * stored before the limits existed with a longer value (see {@code UserPatcher}). The command's own size
     * cap still holds.
     */
    public UserRequests withoutAttributeLimits() {
        return new UserRequests(limits, false);
    }

    private int limit(int configured) {
        return attributeLimits ? configured : Integer.MAX_VALUE;
    }

    /** A POST or PUT body, as {@link RequestBodies} read it, in its canonical form (see {@link #canonical}). */
    public ObjectNode parse(JsonNode json) {
        if (!json.isObject()) {
            throw ScimException.invalidSyntax("the request body must be a JSON object (a SCIM User resource)");
        }
        RequestBodies.requireCoreSchema(json, UserSchemas.CORE);
        return canonical((ObjectNode) json);
    }

    /**
     * Whether a PUT body is a user that states {@code active: false}, read without its other values: the
     * deactivation a body refused for another of them still asks for (the gateway sends it alone:
     * {@code UserCommand.deactivationAlone}). A body that is no User at all - without a usable {@code userName}, or
     * naming another schema - asks for nothing and is refused whole (Microsoft's SCIM validator sends a PUT with
     * {@code active: false} and a misspelt {@code userName}, and expects 400).
     */
    public boolean deactivates(JsonNode body) {
        if (!body.isObject()) {
            return false;
        }
        ObjectNode stated = JSON.objectNode();
        body.fields().forEachRemaining(field -> {
            if (isCoreAttribute(field.getKey(), "active") || isCoreAttribute(field.getKey(), "userName")) {
                stated.set(field.getKey(), field.getValue());
            }
        });
        try {
            RequestBodies.requireCoreSchema(body, UserSchemas.CORE);
            return !toProfile(canonical(stated), true).active();
        } catch (ScimException noUser) {
            return false;
        }
    }

    /** {@code key} names the core attribute {@code name}, plainly or qualified with the core schema's URN. */
    public static boolean isCoreAttribute(String key, String name) {
        return key.equalsIgnoreCase(name) || key.equalsIgnoreCase(UserSchemas.CORE + ":" + name);
    }

    /**
     * Whether a canonical resource states {@code active}. A resource that leaves it unassigned (absent, null, or
     * removed by a PATCH: RFC 7643 section 2.5 makes them one state) does not ask for a change of access: a user
     * is created active, and a replaced or patched one keeps the state it had. Only {@code active: true}
     * re-activates a deactivated user, so an update of a profile that omits it never undoes a de-provisioning.
     */
    public static boolean statesActive(ObjectNode canonical) {
        return canonical.has("active");
    }

    /**
     * The canonical form of a whole User resource: core attributes at the top, extension attributes under
     * their URN, everything typed, nothing read-only, unknown or empty.
     */
    public ObjectNode canonical(ObjectNode resource) {
        ObjectNode canonical = JSON.objectNode();
        for (Iterator<Map.Entry<String, JsonNode>> fields = resource.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            put(canonical, field.getKey(), field.getValue());
        }
        return canonical;
    }

    /** Places one top-level key of a resource (or of a path-less PATCH value) into the canonical document. */
    public void put(ObjectNode canonical, String key, JsonNode value) {
        Optional<Schema> extension = UserSchemas.extension(key);
        if (extension.isPresent()) {
            putExtension(canonical, extension.get(), value);
            return;
        }
        String schema = null;
        String path = key;
        if (key.regionMatches(true, 0, "urn:", 0, 4) && key.lastIndexOf(':') > 4) {
            schema = key.substring(0, key.lastIndexOf(':'));
            path = key.substring(key.lastIndexOf(':') + 1);
        }
        Schema target = UserSchemas.CORE_USER;
        if (schema != null) {
            if (UserSchemas.CORE_USER.is(schema)) {
                target = UserSchemas.CORE_USER;
            } else {
                Optional<Schema> qualified = UserSchemas.extension(schema);
                if (qualified.isEmpty()) {
                    return; // an extension this server does not know: ignored, like any unknown attribute
                }
                target = qualified.get();
            }
        }
        String[] parts = path.split("\\.", 2);
        ObjectNode container = target == UserSchemas.CORE_USER ? canonical : extensionObject(canonical, target);
        if (target == UserSchemas.CORE_USER && isCommonAttribute(parts[0])) {
            putCommon(canonical, parts[0], value);
            return;
        }
        Optional<Attribute> attribute = target.attribute(parts[0]);
        if (attribute.isEmpty() || attribute.get().isReadOnly()
                || attribute.get().mutability() == Attribute.Mutability.WRITE_ONLY) {
            return;
        }
        if (parts.length == 2) {
            putSubAttribute(container, attribute.get(), parts[1], value);
        } else {
            set(container, attribute.get().name(), typed(attribute.get(), value, attribute.get().name()));
        }
        if (target != UserSchemas.CORE_USER && container.isEmpty()) {
            canonical.remove(target.id());
        }
    }

    /**
     * The stored profile of a canonical resource; {@code activeWhenUnstated} is its state when it does not state
     * {@code active} (see {@link #statesActive}).
     */
    public UserProfile toProfile(ObjectNode canonical, boolean activeWhenUnstated) {
        JsonNode userName = canonical.get("userName");
        if (userName == null || userName.isNull()) {
            throw ScimException.invalidValue("'userName' is required");
        }
        ObjectNode attributes = canonical.deepCopy();
        attributes.remove(java.util.List.of("userName", "externalId", "active"));
        JsonNode externalId = canonical.get("externalId");
        JsonNode active = canonical.get("active");
        JsonNode roleMapping = canonical.path(UserSchemas.ROLE_MAPPING);
        Placement placement = new Placement(textOrNull(roleMapping.get("dockerRole")),
                textOrNull(roleMapping.get("dockerOrg")), textOrNull(roleMapping.get("dockerTeam")));
        return new UserProfile(userName.asText(), externalId == null ? null : externalId.asText(),
                active == null ? activeWhenUnstated : active.booleanValue(), attributes, placement);
    }

    private static String textOrNull(JsonNode value) {
        return value == null || value.isNull() ? null : value.asText();
    }

    private static boolean isCommonAttribute(String name) {
        return name.equalsIgnoreCase("id") || name.equalsIgnoreCase("meta") || name.equalsIgnoreCase("schemas")
                || name.equalsIgnoreCase("externalId") || name.equalsIgnoreCase("userName")
                || name.equalsIgnoreCase("active");
    }

    /** id, meta and schemas are the server's; userName, externalId and active are columns of their own. */
    private void putCommon(ObjectNode canonical, String name, JsonNode value) {
        if (name.equalsIgnoreCase("userName")) {
            if (value == null || value.isNull()) {
                throw ScimException.invalidValue("'userName' is required");
            }
            if (!value.isTextual() || value.asText().isBlank()) {
                throw ScimException.invalidValue("'userName' must be a non-empty string");
            }
            canonical.put("userName", ScimLimits.requireLength("userName", value.asText().trim(),
                    limit(limits.userNameLength())));
        } else if (name.equalsIgnoreCase("externalId")) {
            // externalId is case-exact and the IdP's own: kept as sent (RFC 7643 section 3.1).
            JsonNode text = typedSimple(Attribute.named("externalId", Attribute.Type.STRING).caseExact().build(), value,
                    "externalId");
            set(canonical, "externalId", text);
        } else if (name.equalsIgnoreCase("active")) {
            set(canonical, "active", typedSimple(UserSchemas.CORE_USER.attribute("active").orElseThrow(), value, "active"));
        }
    }

    private void putExtension(ObjectNode canonical, Schema extension, JsonNode value) {
        if (value == null || value.isNull()) {
            canonical.remove(extension.id());
            return;
        }
        if (!value.isObject()) {
            throw ScimException.invalidValue("'" + extension.id() + "' must be an object of its attributes");
        }
        ObjectNode container = extensionObject(canonical, extension);
        value.fields().forEachRemaining(field -> {
            String[] parts = field.getKey().split("\\.", 2);
            extension.attribute(parts[0]).filter(a -> !a.isReadOnly()).ifPresent(attribute -> {
                if (parts.length == 2) {
                    putSubAttribute(container, attribute, parts[1], field.getValue());
                } else {
                    set(container, attribute.name(), typed(attribute, field.getValue(), attribute.name()));
                }
            });
        });
        if (container.isEmpty()) {
            canonical.remove(extension.id());
        }
    }

    private static ObjectNode extensionObject(ObjectNode canonical, Schema extension) {
        JsonNode existing = canonical.get(extension.id());
        if (existing instanceof ObjectNode object) {
            return object;
        }
        return canonical.putObject(extension.id());
    }

    /** {@code name.givenName}: one sub-attribute of a single-valued complex attribute. */
    private void putSubAttribute(ObjectNode container, Attribute attribute, String subName, JsonNode value) {
        if (!attribute.isComplex() || attribute.multiValued()) {
            return;
        }
        Optional<Attribute> sub = attribute.subAttribute(subName);
        if (sub.isEmpty() || sub.get().isReadOnly()) {
            return;
        }
        ObjectNode complex = container.get(attribute.name()) instanceof ObjectNode existing ? existing
                : container.putObject(attribute.name());
        set(complex, sub.get().name(), typedSimple(sub.get(), value, attribute.name() + "." + sub.get().name()));
        if (complex.isEmpty()) {
            container.remove(attribute.name());
        }
    }

    /** Sets or, for an empty value, removes. */
    private static void set(ObjectNode container, String name, JsonNode value) {
        if (value == null) {
            container.remove(name);
        } else {
            container.set(name, value);
        }
    }

    /** The value in the attribute's type, or null when it is empty (which clears the attribute). */
    JsonNode typed(Attribute attribute, JsonNode value, String path) {
        if (isEmpty(value)) {
            return null;
        }
        if (!attribute.multiValued()) {
            return attribute.isComplex() ? complex(attribute, value, path) : typedSimple(attribute, value, path);
        }
        ArrayNode values = JSON.arrayNode();
        JsonNode elements = value.isArray() ? value : JSON.arrayNode().add(value);
        ScimLimits.requireEntries(path, elements.size(), limit(limits.multiValuedEntries()));
        int primaries = 0;
        for (JsonNode element : elements) {
            JsonNode typedElement = attribute.isComplex() ? complex(attribute, element, path)
                    : typedSimple(attribute, element, path);
            if (typedElement != null) {
                if (typedElement.path("primary").asBoolean(false)) {
                    primaries++;
                }
                values.add(typedElement);
            }
        }
        if (primaries > 1) {
            throw ScimException.invalidValue("'" + path + "' has more than one primary value");
        }
        return values.isEmpty() ? null : values;
    }

    private JsonNode complex(Attribute attribute, JsonNode value, String path) {
        if (isEmpty(value)) {
            return null;
        }
        if (!value.isObject()) {
            // A bare value for a complex attribute (Entra ID's manager) is its "value" sub-attribute.
            Optional<Attribute> valueSub = attribute.subAttribute("value");
            if (valueSub.isPresent() && value.isValueNode()) {
                JsonNode typedValue = typedSimple(valueSub.get(), value, path + ".value");
                return typedValue == null ? null : JSON.objectNode().set("value", typedValue);
            }
            throw ScimException.invalidValue("'" + path + "' must be an object");
        }
        ObjectNode complex = JSON.objectNode();
        value.fields().forEachRemaining(field -> attribute.subAttribute(field.getKey())
                .filter(sub -> !sub.isReadOnly())
                .ifPresent(sub -> set(complex, sub.name(), typedSimple(sub, field.getValue(), path + "." + sub.name()))));
        return complex.isEmpty() ? null : complex;
    }

    JsonNode typedSimple(Attribute attribute, JsonNode value, String path) {
        // [false] for a single value: some clients wrap every PATCH value in a list ("value": [false] for active).
        // One element is that value; refusing it would refuse a deactivation.
        boolean wrapped = value != null && value.isArray() && value.size() == 1 && value.get(0).isValueNode();
        return typedSingle(attribute, wrapped ? value.get(0) : value, path);
    }

    private JsonNode typedSingle(Attribute attribute, JsonNode value, String path) {
        if (isEmpty(value)) {
            return null;
        }
        if (!value.isValueNode()) {
            throw ScimException.invalidValue("'" + path + "' must be a single " + attribute.type().wireName() + " value");
        }
        switch (attribute.type()) {
            case BOOLEAN:
                if (value.isBoolean()) {
                    return value;
                }
                if (value.isTextual() && (value.asText().equalsIgnoreCase("true") || value.asText().equalsIgnoreCase("false"))) {
                    return JSON.booleanNode(Boolean.parseBoolean(value.asText().toLowerCase(Locale.ROOT)));
                }
                throw ScimException.invalidValue("'" + path + "' must be a boolean, got " + ScimException.quote(value));
            case DECIMAL:
            case INTEGER:
                try {
                    BigDecimal number = value.isNumber() ? value.decimalValue() : new BigDecimal(value.asText().trim());
                    if (attribute.type() == Attribute.Type.INTEGER) {
                        return JSON.numberNode(number.toBigIntegerExact());
                    }
                    return JSON.numberNode(number);
                } catch (NumberFormatException | ArithmeticException e) {
                    throw ScimException.invalidValue("'" + path + "' must be a " + attribute.type().wireName()
                            + ", got " + ScimException.quote(value));
                }
            case DATE_TIME:
                try {
                    return JSON.textNode(OffsetDateTime.parse(value.asText()).toInstant().toString());
                } catch (DateTimeParseException e) {
                    throw ScimException.invalidValue("'" + path + "' must be an ISO-8601 date-time, got "
                            + ScimException.quote(value));
                }
            default:
                // Strings, references and binaries (RFC 7644 section 3.12: a value of another type is invalidValue).
                if (!value.isTextual()) {
                    throw ScimException.invalidValue("'" + path + "' must be a string, got " + ScimException.quote(value));
                }
                ScimLimits.requireLength(path, value.asText(), limit(maxLength(attribute, path)));
                if (attribute.onlyCanonicalValues()) {
                    return attribute.canonicalValues().stream().filter(v -> v.equalsIgnoreCase(value.asText()))
                            .findFirst().map(v -> (JsonNode) JSON.textNode(v))
                            .orElseThrow(() -> ScimException.invalidValue("'" + path + "' must be one of "
                                    + String.join(", ", attribute.canonicalValues()) + "; got "
                                    + ScimException.quote(value)));
                }
                return value;
        }
    }

    /** The longest value the attribute at this path takes (see {@link ScimLimits}). */
    private int maxLength(Attribute attribute, String path) {
        if (attribute.type() == Attribute.Type.REFERENCE) {
            return limits.referenceLength();
        }
        return switch (path) {
            case "externalId" -> limits.externalIdLength();
            case "emails.value" -> limits.emailLength();
            case "x509Certificates.value" -> limits.certificateLength();
            default -> limits.stringLength();
        };
    }

    private static boolean isEmpty(JsonNode value) {
        return value == null || value.isNull() || value.isMissingNode() || (value.isTextual() && value.asText().isEmpty());
    }
}
