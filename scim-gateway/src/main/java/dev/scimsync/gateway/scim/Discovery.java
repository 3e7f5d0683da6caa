package dev.scimsync.gateway.scim;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.scimsync.gateway.scim.schema.Attribute;
import dev.scimsync.gateway.scim.schema.ResourceType;
import dev.scimsync.gateway.scim.schema.Schema;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The discovery documents (RFC 7644 section 4, RFC 7643 sections 5-7), rendered from the same schema
 * definitions that drive validation, so they describe exactly what the server does.
 */
public final class Discovery {

    public static final String SERVICE_PROVIDER_CONFIG = "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig";
    public static final String RESOURCE_TYPE = "urn:ietf:params:scim:schemas:core:2.0:ResourceType";
    public static final String SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Schema";

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private Discovery() {
    }

    /**
     * With RFC 9865 section 4's {@code pagination}: both methods, index by default (what clients expect of a server
     * that had only index paging), a page of {@code maxResults} when no count is asked for and at most that.
     */
    public static ObjectNode serviceProviderConfig(String baseUrl, int maxResults, int maxPayloadBytes,
            int maxBulkOperations, Duration cursorTimeout) {
        ObjectNode config = JSON.objectNode();
        config.putArray("schemas").add(SERVICE_PROVIDER_CONFIG);
        config.put("documentationUri", "https://github.com/scimsync/scim-provisioning/blob/main/docs/idp/okta.md");
        config.putObject("patch").put("supported", true);
        config.putObject("bulk").put("supported", true).put("maxOperations", maxBulkOperations)
                .put("maxPayloadSize", maxPayloadBytes);
        config.putObject("filter").put("supported", true).put("maxResults", maxResults);
        config.putObject("changePassword").put("supported", false);
        config.putObject("sort").put("supported", true);
        config.putObject("etag").put("supported", true);
        config.putObject("pagination").put("cursor", true).put("index", true).put("defaultPaginationMethod", "index")
                .put("defaultPageSize", maxResults).put("maxPageSize", maxResults)
                .put("cursorTimeout", cursorTimeout.toSeconds());
        ObjectNode bearer = config.putArray("authenticationSchemes").addObject();
        bearer.put("type", "oauthbearertoken");
        bearer.put("name", "OAuth Bearer Token");
        bearer.put("description", "The SCIM token of the IdP connection, sent as 'Authorization: Bearer <token>'.");
        bearer.put("specUri", "https://www.rfc-editor.org/rfc/rfc6750");
        bearer.put("primary", true);
        config.set("meta", meta("ServiceProviderConfig", baseUrl + "/ServiceProviderConfig"));
        return config;
    }

    public static ObjectNode resourceType(ResourceType resourceType, String baseUrl) {
        ObjectNode type = JSON.objectNode();
        type.putArray("schemas").add(RESOURCE_TYPE);
        type.put("id", resourceType.name());
        type.put("name", resourceType.name());
        type.put("endpoint", resourceType.endpoint());
        type.put("description", resourceType.description());
        type.put("schema", resourceType.schema().id());
        ArrayNode extensions = type.putArray("schemaExtensions");
        for (Schema extension : resourceType.extensions()) {
            extensions.addObject().put("schema", extension.id()).put("required", false);
        }
        type.set("meta", meta("ResourceType", baseUrl + "/ResourceTypes/" + resourceType.name()));
        return type;
    }

    public static List<ObjectNode> resourceTypes(String baseUrl) {
        return ResourceType.ALL.stream().map(type -> resourceType(type, baseUrl)).toList();
    }

    /** The resource type of that name (names are case-insensitive, like endpoints). */
    public static Optional<ResourceType> findResourceType(String name) {
        return ResourceType.ALL.stream().filter(type -> type.name().equalsIgnoreCase(name)).findFirst();
    }

    /** Every schema of every resource type: cores first, in resource type order, then their extensions. */
    public static List<Schema> allSchemas() {
        return ResourceType.ALL.stream().flatMap(type -> type.schemas().stream()).toList();
    }

    public static List<ObjectNode> schemas(String baseUrl) {
        return allSchemas().stream().map(schema -> schema(schema, baseUrl)).toList();
    }

    public static ObjectNode schema(Schema schema, String baseUrl) {
        ObjectNode resource = JSON.objectNode();
        resource.putArray("schemas").add(SCHEMA);
        resource.put("id", schema.id());
        resource.put("name", schema.name());
        resource.put("description", schema.description());
        ArrayNode attributes = resource.putArray("attributes");
        schema.attributes().forEach(attribute -> attributes.add(attribute(attribute)));
        resource.set("meta", meta("Schema", baseUrl + "/Schemas/" + schema.id()));
        return resource;
    }

    private static ObjectNode attribute(Attribute attribute) {
        ObjectNode node = JSON.objectNode();
        node.put("name", attribute.name());
        node.put("type", attribute.type().wireName());
        node.put("multiValued", attribute.multiValued());
        node.put("description", attribute.description());
        node.put("required", attribute.required());
        if (!attribute.isComplex()) {
            node.put("caseExact", attribute.caseExact());
        }
        if (!attribute.canonicalValues().isEmpty()) {
            ArrayNode canonical = node.putArray("canonicalValues");
            attribute.canonicalValues().forEach(canonical::add);
        }
        if (!attribute.referenceTypes().isEmpty()) {
            ArrayNode references = node.putArray("referenceTypes");
            attribute.referenceTypes().forEach(references::add);
        }
        node.put("mutability", attribute.mutability().wireName());
        node.put("returned", attribute.returned().wireName());
        if (!attribute.isComplex()) {
            node.put("uniqueness", attribute.uniqueness().wireName());
        }
        if (attribute.isComplex()) {
            ArrayNode subAttributes = node.putArray("subAttributes");
            attribute.subAttributes().forEach(sub -> subAttributes.add(attribute(sub)));
        }
        return node;
    }

    public static ObjectNode listResponse(List<ObjectNode> resources) {
        return ListResponses.of(resources.size(), 1, resources);
    }

    private static ObjectNode meta(String resourceType, String location) {
        return JSON.objectNode().put("resourceType", resourceType).put("location", location);
    }
}
