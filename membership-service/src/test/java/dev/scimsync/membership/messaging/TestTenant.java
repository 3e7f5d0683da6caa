package dev.scimsync.membership.messaging;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import java.util.Map;

/** The tenant the %test profile bootstraps, found the way the gateway finds it: by its token. */
final class TestTenant {

    static final String SCIM_TOKEN = "scim_0123456789ab_test-secret-0123456789abcdef";

    private TestTenant() {
    }

    static String connectionId() {
        return given().contentType(ContentType.JSON).body(Map.of("token", SCIM_TOKEN))
                .post("/internal/v1/scim-tokens/verify")
                .then().statusCode(200).extract().path("connectionId");
    }
}
