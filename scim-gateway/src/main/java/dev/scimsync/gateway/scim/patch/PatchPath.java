package dev.scimsync.gateway.scim.patch;

import dev.scimsync.contracts.TroubleshootingReport;
import dev.scimsync.gateway.scim.ScimException;
import dev.scimsync.gateway.scim.UnknownAttributes;
import dev.scimsync.gateway.scim.filter.Filter;
import dev.scimsync.gateway.scim.schema.Attribute;
import dev.scimsync.gateway.scim.schema.ResourceType;
import dev.scimsync.gateway.scim.schema.Schema;
import java.util.Locale;

/**
 * A PATCH path (RFC 7644 section 3.5.2, PATH): {@code attr}, {@code attr.sub}, {@code attr[filter]},
 * {@code attr[filter].sub}, each optionally prefixed with a schema URN, resolved against the schemas of the
 * resource type it is applied to.
 *
 * @param schema       the schema the attribute belongs to
 * @param attribute    the attribute
 * @param filter       the value filter selecting elements of a multi-valued attribute, or null
 * @param subAttribute the sub-attribute, or null
 * @param inCoreSchema whether the attribute is one of the resource type's core schema (else an extension's)
 */
public record PatchPath(String text, Schema schema, Attribute attribute, Filter filter, Attribute subAttribute,
        boolean inCoreSchema) {

    /** externalId is common to every resource type (RFC 7643 section 3.1), not part of a schema. */
    private static final Attribute EXTERNAL_ID = Attribute.named("externalId", Attribute.Type.STRING).caseExact().build();

    /**
     * A path naming an attribute, a sub-attribute or a schema extension the resource type does not define. An
     * operation with such a path is dropped and its name listed for the admin, as the same name in a POST or PUT
     * body is ({@link UnknownAttributes}): an IdP with one mapping to a custom attribute would otherwise have every
     * later update of the user refused - Entra ID sends an update as one PATCH of every changed attribute, a
     * deactivation included, and quarantines a job whose updates keep failing.
     */
    public static final class Undefined extends ScimException {

        private final UnknownAttributes.Found found;

        Undefined(String name, String kind, String detail) {
            super(400, "invalidPath", detail);
            this.found = new UnknownAttributes.Found(name, kind);
        }

        public UnknownAttributes.Found found() {
            return found;
        }
    }

    /** @throws Undefined for a path the schemas do not define; a {@link ScimException} for a malformed one */
    public static PatchPath parse(String text, ResourceType type) {
        String trimmed = text.trim();
        String attributePart = trimmed;
        Filter filter = null;
        String subPart = null;
        int open = trimmed.indexOf('[');
        if (open >= 0) {
            int close = trimmed.lastIndexOf(']');
            if (close < open) {
                throw ScimException.invalidPath("'" + text + "' opens a [filter] it does not close");
            }
            attributePart = trimmed.substring(0, open);
            try {
                filter = Filter.parse(trimmed.substring(open + 1, close));
            } catch (ScimException e) {
                throw ScimException.invalidPath("'" + text + "': " + e.detail());
            }
            String rest = trimmed.substring(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(".") || rest.length() == 1) {
                    throw ScimException.invalidPath("'" + text + "' continues after its [filter] with '" + rest + "'");
                }
                subPart = rest.substring(1);
            }
        }
        Schema schema = type.schema();
        String name = attributePart;
        String lower = attributePart.toLowerCase(Locale.ROOT);
        if (lower.startsWith(schema.id().toLowerCase(Locale.ROOT) + ":")) {
            name = attributePart.substring(schema.id().length() + 1);
        } else {
            for (Schema extension : type.extensions()) {
                if (lower.startsWith(extension.id().toLowerCase(Locale.ROOT) + ":")) {
                    schema = extension;
                    name = attributePart.substring(extension.id().length() + 1);
                } else if (lower.equals(extension.id().toLowerCase(Locale.ROOT))) {
                    throw ScimException.invalidPath("'" + text + "' names a schema; name one of its attributes");
                }
            }
            if (schema == type.schema() && lower.startsWith("urn:")) {
                throw new Undefined(attributePart, TroubleshootingReport.EXTENSION,
                        "'" + text + "' names a schema this server does not know");
            }
        }
        String[] parts = name.split("\\.", 2);
        if (parts.length == 2) {
            if (subPart != null) {
                throw ScimException.invalidPath("'" + text + "' names two sub-attributes");
            }
            subPart = parts[1];
        }
        boolean core = schema == type.schema();
        String qualifier = attributePart.substring(0, attributePart.length() - name.length());
        Attribute attribute = resolveAttribute(schema, core, parts[0], text, qualifier);
        Attribute sub = null;
        if (subPart != null) {
            String subName = subPart;
            sub = attribute.subAttribute(subName).orElseThrow(() -> new Undefined(
                    qualifier + parts[0] + "." + subName, TroubleshootingReport.ATTRIBUTE,
                    "'" + attribute.name() + "' has no sub-attribute '" + subName + "'"));
        }
        if (filter != null && !(attribute.isComplex() && attribute.multiValued())) {
            throw ScimException.invalidPath("'" + text + "': only multi-valued complex attributes take a [filter]");
        }
        return new PatchPath(text, schema, attribute, filter, sub, core);
    }

    /**
     * The attribute, with the common ones (id, meta, schemas, externalId) as the core schema's; {@code qualifier}
     * is the schema URN and colon the path was qualified with, as sent (or empty).
     */
    private static Attribute resolveAttribute(Schema schema, boolean core, String name, String text,
            String qualifier) {
        if (core) {
            if (name.equalsIgnoreCase("id") || name.equalsIgnoreCase("meta") || name.equalsIgnoreCase("schemas")) {
                throw ScimException.mutability("'" + text + "' is set by the server and cannot be changed");
            }
            if (name.equalsIgnoreCase("externalId") && schema.attribute(name).isEmpty()) {
                return EXTERNAL_ID;
            }
        }
        Attribute attribute = schema.attribute(name).orElseThrow(() -> new Undefined(qualifier + name,
                TroubleshootingReport.ATTRIBUTE, "'" + text + "' is not an attribute of " + schema.name()));
        if (attribute.isReadOnly()) {
            throw ScimException.mutability("'" + attribute.name() + "' is read-only");
        }
        return attribute;
    }

    /** The key of the attribute's container in the canonical document: null for core, else the URN. */
    public String containerKey() {
        return inCoreSchema ? null : schema.id();
    }
}
