package dev.scimsync.membership.api;

import dev.scimsync.testsupport.InternalApiCaller;

/** These tests call membership-service's internal API as the gateway, its main caller, unless they say otherwise. */
public class CallsAsScimGateway extends InternalApiCaller {
    public CallsAsScimGateway() {
        super("scim-gateway", "membership-service");
    }
}
