package dev.scimsync.gateway.scim;

import com.fasterxml.jackson.databind.JsonNode;
import dev.scimsync.contracts.TroubleshootingReport;
import dev.scimsync.gateway.scim.schema.Attribute;
import dev.scimsync.gateway.scim.schema.ResourceType;
import dev.scimsync.gateway.scim.schema.Schema;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The keys of a User or Group body (or of a path-less PATCH value) that the resource type's schemas do not
 * define - what {@link UserRequests} and {@link GroupRequests} drop without an error, as RFC 7643 section 3.1
 * lets a service provider ignore what it does not know (a PATCH path naming one is dropped the same way:
 * {@code PatchRequest}). A schema check of its own, beside the parsers, so they
 * stay about reading values: it walks the keys (top level, an extension's object, the sub-attributes of complex
 * values) and never the values themselves.
 *
 * <p>A key qualified with a schema URN the resource type does not have ({@code urn:acme:scim:User:costCenter}, or
 * {@code urn:acme:scim:User} with an object of attributes) is an {@link TroubleshootingReport#EXTENSION}; every
 * other unknown key an {@link TroubleshootingReport#ATTRIBUTE}, named by its path as sent ({@code nickname2},
 * {@code name.middle}, {@code emails.label}, {@code urn:...:enterprise:2.0:User:badge}). Read-only and write-only
 * attributes are known ({@code id}, {@code meta}, {@code groups}, {@code password}), and so is {@code schemas}:
 * only what a schema does not define is listed. A URN only listed in {@code schemas} carries nothing, so drops
 * nothing (Entra ID lists its own with every group) and is not listed.
 */
public final class UnknownAttributes {

    /** One unknown key; {@code kind} is {@link TroubleshootingReport#ATTRIBUTE} or {@code EXTENSION}. */
    public record Found(String name, String kind) {
    }

    /** The attributes every resource has (RFC 7643 section 3.1), in no schema's list of attributes here. */
    private static final Set<String> COMMON = Set.of("id", "meta", "schemas", "externalid");

    private UnknownAttributes() {
    }

    /** The unknown keys of a resource (or partial resource) of this type; empty for anything but an object. */
    public static List<Found> in(ResourceType type, JsonNode resource) {
        Set<Found> found = new LinkedHashSet<>();
        if (resource == null || !resource.isObject()) {
            return List.of();
        }
        for (Iterator<Map.Entry<String, JsonNode>> fields = resource.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            key(type, field.getKey(), field.getValue(), found);
        }
        return new ArrayList<>(found);
    }

    private static void key(ResourceType type, String key, JsonNode value, Set<Found> found) {
        Optional<Schema> extension = type.extension(key);
        if (extension.isPresent()) {
            if (value != null && value.isObject()) {
                value.fields().forEachRemaining(field -> path(extension.get(), key + ":", field.getKey(),
                        field.getValue(), found));
            }
            return;
        }
        int lastColon = key.lastIndexOf(':');
        if (key.regionMatches(true, 0, "urn:", 0, 4) && lastColon > 4) {
            String urn = key.substring(0, lastColon);
            Optional<Schema> qualified = type.schema().is(urn) ? Optional.of(type.schema()) : type.extension(urn);
            if (qualified.isEmpty()) {
                found.add(new Found(key, TroubleshootingReport.EXTENSION));
                return;
            }
            path(qualified.get(), urn + ":", key.substring(lastColon + 1), value, found);
            return;
        }
        path(type.schema(), "", key, value, found);
    }

    /** {@code attribute} or {@code attribute.sub} of one schema; {@code prefix} is how it was qualified. */
    private static void path(Schema schema, String prefix, String path, JsonNode value, Set<Found> found) {
        String[] parts = path.split("\\.", 2);
        if (COMMON.contains(parts[0].toLowerCase(Locale.ROOT))) {
            return;
        }
        Optional<Attribute> attribute = schema.attribute(parts[0]);
        if (attribute.isEmpty()) {
            found.add(new Found(prefix + path, TroubleshootingReport.ATTRIBUTE));
            return;
        }
        if (!attribute.get().isComplex()) {
            return;
        }
        if (parts.length == 2) {
            if (attribute.get().subAttribute(parts[1]).isEmpty()) {
                found.add(new Found(prefix + path, TroubleshootingReport.ATTRIBUTE));
            }
            return;
        }
        if (value == null) {
            return;
        }
        Iterable<JsonNode> elements = value.isArray() ? value : List.of(value);
        for (JsonNode element : elements) {
            if (element.isObject()) {
                element.fieldNames().forEachRemaining(sub -> {
                    if (attribute.get().subAttribute(sub).isEmpty()) {
                        found.add(new Found(prefix + parts[0] + "." + sub, TroubleshootingReport.ATTRIBUTE));
                    }
                });
            }
        }
    }
}
