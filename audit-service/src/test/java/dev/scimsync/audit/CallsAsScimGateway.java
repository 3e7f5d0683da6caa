package dev.scimsync.audit;

import dev.scimsync.testsupport.InternalApiCaller;

/** These tests call audit-service's internal API as the gateway, its only caller, unless they say otherwise. */
public class CallsAsScimGateway extends InternalApiCaller {
    public CallsAsScimGateway() {
        super("scim-gateway", "audit-service");
    }
}
