package dev.scimsync.serviceauth;

/**
 * The services' names as their tokens carry them: issuer and subject of a caller's token, its audience, the
 * {@code kid} of the caller's key, and the role a verified caller gets (the HTTP permissions of each service
 * name these).
 */
public final class ServiceNames {

    public static final String SCIM_GATEWAY = "scim-gateway";
    public static final String MEMBERSHIP_SERVICE = "membership-service";
    public static final String GROUP_SYNC_SERVICE = "group-sync-service";
    public static final String AUDIT_SERVICE = "audit-service";

    private ServiceNames() {
    }
}
