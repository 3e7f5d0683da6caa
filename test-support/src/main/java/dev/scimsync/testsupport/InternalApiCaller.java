package dev.scimsync.testsupport;

import io.quarkus.test.junit.callback.QuarkusTestBeforeEachCallback;
import io.quarkus.test.junit.callback.QuarkusTestMethodContext;
import io.restassured.RestAssured;
import io.restassured.filter.Filter;

/**
 * Makes a module's RestAssured calls as the service that calls its internal API most, so its tests read as
 * before: each request that brings no {@code Authorization} of its own gets a fresh token of {@code caller} for
 * {@code audience}. A module registers its subclass in
 * {@code META-INF/services/io.quarkus.test.junit.callback.QuarkusTestBeforeEachCallback}; a test calls as another
 * service with its own header, and without credentials with {@code given().noFilters()}.
 */
public abstract class InternalApiCaller implements QuarkusTestBeforeEachCallback {

    private final Filter signer;

    protected InternalApiCaller(String caller, String audience) {
        this.signer = (request, response, context) -> {
            if (!request.getHeaders().hasHeaderWithName("Authorization")) {
                request.header("Authorization", TestServiceTokens.authorization(caller, audience));
            }
            return context.next(request, response);
        };
    }

    @Override
    public void beforeEach(QuarkusTestMethodContext context) {
        RestAssured.replaceFiltersWith(signer);
    }
}
