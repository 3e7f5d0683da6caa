package dev.scimsync.gateway.auth;

import jakarta.enterprise.context.RequestScoped;

/** The IdP connection (and its token) that the current SCIM request authenticated as. */
@RequestScoped
public class ScimCaller {

    private String connectionId;
    private String tokenId;

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
