package dev.scimsync.groupsync;

import dev.scimsync.testsupport.InternalApiCaller;

/** These tests call group-sync-service's internal API as the gateway, its only caller, unless they say otherwise. */
public class CallsAsScimGateway extends InternalApiCaller {
    public CallsAsScimGateway() {
        super("scim-gateway", "group-sync-service");
    }
}
