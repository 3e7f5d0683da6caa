package dev.scimsync.gateway.auth;

import jakarta.enterprise.context.RequestScoped;

/** The IdP connection (and its token) that the current SCIM request authenticated as. */
@RequestScoped
public class ScimCaller {

    private String connectionId;
    private String tokenId;

    /**
     * This request's instance itself rather than the client proxy, taken while the request's context is active: the
     * authentication filter records the caller in a callback that may run on another thread (a token membership-
     * service verifies is answered on the REST client's), where the request context active, if any, is whatever
     * context propagation restored there.
     */
    ScimCaller ofThisRequest() {
        return this;
    }

    void authenticated(String connectionId, String tokenId) {
        this.connectionId = connectionId;
        this.tokenId = tokenId;
    }

    public String connectionId() {
        if (connectionId == null) {
            throw new IllegalStateException("no authenticated SCIM caller in this request");
        }
        return connectionId;
    }

    public String tokenId() {
        return tokenId;
    }
}
