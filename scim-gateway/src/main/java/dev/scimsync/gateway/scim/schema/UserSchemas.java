package dev.scimsync.gateway.scim.schema;

import static dev.scimsync.gateway.scim.schema.Attribute.Type.BOOLEAN;
import static dev.scimsync.gateway.scim.schema.Attribute.Type.COMPLEX;
import static dev.scimsync.gateway.scim.schema.Attribute.Type.REFERENCE;
import static dev.scimsync.gateway.scim.schema.Attribute.Type.STRING;

import dev.scimsync.gateway.scim.schema.Attribute.Mutability;
import dev.scimsync.gateway.scim.schema.Attribute.Returned;
import dev.scimsync.gateway.scim.schema.Attribute.Uniqueness;
import java.util.List;
import java.util.Optional;

/**
 * The User resource's schemas: core User (RFC 7643 section 4.1), the Enterprise User extension (section
 * 4.3) and the role-mapping extension that Docker's SCIM set-ups already send. These definitions drive
 * validation, filtering, projection and the {@code /Schemas} endpoint alike.
 */
public final class UserSchemas {

    public static final String CORE = "urn:ietf:params:scim:schemas:core:2.0:User";
    public static final String ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
    public static final String ROLE_MAPPING = "urn:ietf:params:scim:schemas:extension:docker:2.0:User";

    public static final Schema CORE_USER = new Schema(CORE, "User", "User Account", List.of(
            Attribute.named("userName", STRING).required().uniqueness(Uniqueness.SERVER)
                    .description("Unique identifier for the User, typically the primary email; unique per connection, "
                            + "case-insensitive.").build(),
            Attribute.named("name", COMPLEX).description("The components of the user's real name.").subAttributes(
                    string("formatted", "The full name, formatted for display."),
                    string("familyName", "The family name (last name)."),
                    string("givenName", "The given name (first name)."),
                    string("middleName", "The middle name(s)."),
                    string("honorificPrefix", "The honorific prefix(es), e.g. 'Ms.'."),
                    string("honorificSuffix", "The honorific suffix(es), e.g. 'III'.")).build(),
            string("displayName", "The name of the User, suitable for display."),
            string("nickName", "The casual way to address the user."),
            Attribute.named("profileUrl", REFERENCE).referenceTypes("external")
                    .description("A URI of the user's online profile.").build(),
            string("title", "The user's title, such as 'Vice President'."),
            string("userType", "The relationship between the organization and the user, e.g. 'Employee'."),
            string("preferredLanguage", "The preferred written or spoken language, e.g. 'en-US'."),
            string("locale", "The default location for localizing, e.g. 'en-US'."),
            string("timezone", "The time zone, in IANA format, e.g. 'America/Los_Angeles'."),
            Attribute.named("active", BOOLEAN)
                    .description("Whether the user has access; false deactivates the member, who stays in the "
                            + "organization.").build(),
            Attribute.named("password", STRING).mutability(Mutability.WRITE_ONLY).returned(Returned.NEVER)
                    .description("Accepted and never stored or returned: sign-in goes through the IdP.").build(),
            multiValuedComplex("emails", "Email addresses for the user.", "work", "home", "other"),
            multiValuedComplex("phoneNumbers", "Phone numbers for the user.", "work", "home", "mobile", "fax", "pager",
                    "other"),
            multiValuedComplex("ims", "Instant messaging addresses for the user.", "aim", "gtalk", "icq", "xmpp",
                    "msn", "skype", "qq", "yahoo"),
            Attribute.named("photos", COMPLEX).multiValued().description("URLs of photos of the user.").subAttributes(
                    Attribute.named("value", REFERENCE).referenceTypes("external").description("The URL of a photo.")
                            .build(),
                    string("display", "A human-readable name, primarily used for display purposes."),
                    Attribute.named("type", STRING).canonicalValues("photo", "thumbnail").description("The kind of photo.")
                            .build(),
                    primary()).build(),
            Attribute.named("addresses", COMPLEX).multiValued().description("Physical mailing addresses.")
                    .subAttributes(
                            string("formatted", "The full mailing address."),
                            string("streetAddress", "The street address."),
                            string("locality", "The city or locality."),
                            string("region", "The state or region."),
                            string("postalCode", "The zip code or postal code."),
                            string("country", "The country name (ISO 3166-1 alpha-2)."),
                            Attribute.named("type", STRING).canonicalValues("work", "home", "other")
                                    .description("The kind of address.").build(),
                            primary()).build(),
            Attribute.named("groups", COMPLEX).multiValued().mutability(Mutability.READ_ONLY)
                    .description("The groups the user belongs to; read-only, changed through /Groups.").subAttributes(
                            Attribute.named("value", STRING).mutability(Mutability.READ_ONLY)
                                    .description("The group's id.").build(),
                            Attribute.named("$ref", REFERENCE).referenceTypes("User", "Group")
                                    .mutability(Mutability.READ_ONLY).description("The URI of the group.").build(),
                            Attribute.named("display", STRING).mutability(Mutability.READ_ONLY)
                                    .description("The group's display name.").build(),
                            Attribute.named("type", STRING).canonicalValues("direct", "indirect")
                                    .mutability(Mutability.READ_ONLY).description("How the membership came about.")
                                    .build()).build(),
            multiValuedComplex("entitlements", "Entitlements of the user."),
            multiValuedComplex("roles", "Roles of the user (the member role is set with the role-mapping extension)."),
            multiValuedComplex("x509Certificates", "X.509 certificates of the user (DER, base64).")));

    public static final Schema ENTERPRISE_USER = new Schema(ENTERPRISE, "EnterpriseUser", "Enterprise User", List.of(
            string("employeeNumber", "A string identifier, typically numeric, assigned by the organization."),
            string("costCenter", "The name of a cost center."),
            string("organization", "The name of an organization."),
            string("division", "The name of a division."),
            string("department", "The name of a department."),
            Attribute.named("manager", COMPLEX).description("The user's manager.").subAttributes(
                    string("value", "The id of the manager's User resource."),
                    Attribute.named("$ref", REFERENCE).referenceTypes("User").description("The URI of the manager.")
                            .build(),
                    Attribute.named("displayName", STRING).mutability(Mutability.READ_ONLY)
                            .description("The manager's display name.").build()).build()));

    public static final Schema ROLE_MAPPING_USER = new Schema(ROLE_MAPPING, "DockerUser",
            "Role mapping: the member's role, organization and team, overriding the connection's defaults.", List.of(
            // Not refused here: membership-service refuses another role (a create or an update, 400 invalidValue,
            // listed among the connection's provisioning errors), and applies a deactivation carrying one alone.
            Attribute.named("dockerRole", STRING).canonicalValues("member", "editor", "owner")
                    .description("The member's role: member (default), editor or owner.").build(),
            string("dockerOrg", "The organization to place the member in, instead of the connection's default "
                    + "(then without the default team)."),
            string("dockerTeam", "A team to add the member to; created if missing.")));

    /** The extensions a User may carry, in the order they are listed. */
    public static final List<Schema> EXTENSIONS = List.of(ENTERPRISE_USER, ROLE_MAPPING_USER);

    private UserSchemas() {
    }

    public static Optional<Schema> extension(String urn) {
        return EXTENSIONS.stream().filter(schema -> schema.is(urn)).findFirst();
    }

    private static Attribute string(String name, String description) {
        return Attribute.named(name, STRING).description(description).build();
    }

    private static Attribute primary() {
        return Attribute.named("primary", BOOLEAN)
                .description("Whether this is the primary value; true at most once.").build();
    }

    private static Attribute multiValuedComplex(String name, String description, String... types) {
        return Attribute.named(name, COMPLEX).multiValued().description(description).subAttributes(
                string("value", "The value."),
                string("display", "A human-readable name, primarily used for display purposes."),
                Attribute.named("type", STRING).canonicalValues(types).description("A label indicating the function.")
                        .build(),
                primary()).build();
    }
}
