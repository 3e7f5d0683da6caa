package dev.scimsync.gateway.scim.schema;

import java.util.List;
import java.util.Optional;

/** A schema (RFC 7643 section 7): an id (URN), a name and its attributes. */
public record Schema(String id, String name, String description, List<Attribute> attributes) {

    public Schema {
        attributes = List.copyOf(attributes);
    }

    public Optional<Attribute> attribute(String attributeName) {
        return attributes.stream().filter(a -> a.name().equalsIgnoreCase(attributeName)).findFirst();
    }

    public boolean is(String urn) {
        return id.equalsIgnoreCase(urn);
    }
}
