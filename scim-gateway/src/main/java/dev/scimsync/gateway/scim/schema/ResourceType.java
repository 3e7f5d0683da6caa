package dev.scimsync.gateway.scim.schema;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A resource type (RFC 7643 section 6): its endpoint, core schema and extensions. Paths in filters,
 * PATCH operations and projections are resolved against these, and {@code /ResourceTypes} lists them.
 *
 * @param name     the resource type's name, also {@code meta.resourceType} of its resources
 * @param endpoint relative to the SCIM base, e.g. {@code /Users}
 */
public record ResourceType(String name, String endpoint, String description, Schema schema, List<Schema> extensions) {

    public static final ResourceType USER = new ResourceType("User", "/Users",
            "A member of an organization, provisioned by the IdP", UserSchemas.CORE_USER, UserSchemas.EXTENSIONS);
    public static final ResourceType GROUP = new ResourceType("Group", "/Groups",
            "A group of the connection's users, mapped to teams", GroupSchemas.CORE_GROUP, List.of());

    /** Every resource type this server serves, in the order discovery lists them. */
    public static final List<ResourceType> ALL = List.of(USER, GROUP);

    public ResourceType {
        extensions = List.copyOf(extensions);
    }

    public Optional<Schema> extension(String urn) {
        return extensions.stream().filter(extension -> extension.is(urn)).findFirst();
    }

    /** The core schema, then the extensions. */
    public List<Schema> schemas() {
        List<Schema> schemas = new ArrayList<>();
        schemas.add(schema);
        schemas.addAll(extensions);
        return schemas;
    }
}
