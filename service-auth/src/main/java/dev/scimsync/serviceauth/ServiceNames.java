package dev.scimsync.serviceauth;

/**
 * The names of the services a caller sends tokens to: the audience of its token. (A caller's own name, the issuer
 * and subject of its tokens and the {@code kid} of its key, is its {@code quarkus.application.name}; the HTTP
 * permissions of each service name the callers they allow.)
 */
public final class ServiceNames {

    public static final String MEMBERSHIP_SERVICE = "membership-service";
    public static final String GROUP_SYNC_SERVICE = "group-sync-service";
    public static final String AUDIT_SERVICE = "audit-service";

    private ServiceNames() {
    }
}
