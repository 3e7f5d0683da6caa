package dev.scimsync.gateway.scim.schema;

import static dev.scimsync.gateway.scim.schema.Attribute.Type.REFERENCE;
import static dev.scimsync.gateway.scim.schema.Attribute.Type.STRING;

import dev.scimsync.gateway.scim.schema.Attribute.Mutability;
import dev.scimsync.gateway.scim.schema.Attribute.Uniqueness;
import java.util.List;

/**
 * The core Group schema (RFC 7643 section 4.2). Members are users of the same connection; nested groups
 * are not supported, so a member's {@code type} is always {@code User}.
 */
public final class GroupSchemas {

    public static final String CORE = "urn:ietf:params:scim:schemas:core:2.0:Group";

    public static final Schema CORE_GROUP = new Schema(CORE, "Group", "Group", List.of(
            Attribute.named("displayName", STRING).required().uniqueness(Uniqueness.SERVER)
                    .description("A human-readable name for the Group; unique per connection, case-insensitive.")
                    .build(),
            Attribute.named("externalId", STRING).caseExact()
                    .description("The IdP's own identifier for the Group.").build(),
            Attribute.named("members", Attribute.Type.COMPLEX).multiValued()
                    .description("The members of the Group: users of the same connection.").subAttributes(
                            Attribute.named("value", STRING).caseExact().mutability(Mutability.IMMUTABLE)
                                    .description("The id of the member's User resource.").build(),
                            Attribute.named("display", STRING).mutability(Mutability.READ_ONLY)
                                    .description("The member's userName.").build(),
                            Attribute.named("$ref", REFERENCE).referenceTypes("User").mutability(Mutability.IMMUTABLE)
                                    .description("The URI of the member's User resource.").build(),
                            Attribute.named("type", STRING).onlyCanonicalValues("User")
                                    .mutability(Mutability.IMMUTABLE).description("The kind of member: always User.")
                                    .build()).build()));

    private GroupSchemas() {
    }
}
