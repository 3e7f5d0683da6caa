package dev.scimsync.gateway.scim;

/** Schema URNs and the SCIM media type (RFC 7643 section 8.7, RFC 7644 section 3.1). */
public final class ScimSchemas {

    public static final String MEDIA_TYPE = "application/scim+json";
    public static final String CORE_USER = "urn:ietf:params:scim:schemas:core:2.0:User";
    public static final String ERROR = "urn:ietf:params:scim:api:messages:2.0:Error";
    public static final String BULK_REQUEST = "urn:ietf:params:scim:api:messages:2.0:BulkRequest";
    public static final String BULK_RESPONSE = "urn:ietf:params:scim:api:messages:2.0:BulkResponse";

    private ScimSchemas() {
    }
}
