package dev.scimsync.serviceauth;

import jakarta.inject.Singleton;
import jakarta.ws.rs.client.ClientRequestContext;
import jakarta.ws.rs.client.ClientRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;

/**
 * Sends this service's token on every call of a REST client: {@code @RegisterProvider} the filter of the service
 * the client calls ({@link ToMembershipService}, {@link ToGroupSyncService}).
 */
public abstract class ServiceCredentials implements ClientRequestFilter {

    private final ServiceTokens tokens;
    private final String audience;

    ServiceCredentials(ServiceTokens tokens, String audience) {
        this.tokens = tokens;
        this.audience = audience;
    }

    @Override
    public void filter(ClientRequestContext request) {
        request.getHeaders().putSingle(HttpHeaders.AUTHORIZATION, tokens.authorization(audience));
    }

    @Singleton
    public static class ToMembershipService extends ServiceCredentials {
        public ToMembershipService(ServiceTokens tokens) {
            super(tokens, ServiceNames.MEMBERSHIP_SERVICE);
        }
    }

    @Singleton
    public static class ToGroupSyncService extends ServiceCredentials {
        public ToGroupSyncService(ServiceTokens tokens) {
            super(tokens, ServiceNames.GROUP_SYNC_SERVICE);
        }
    }
}
