package dev.scimsync.e2e;

import static io.restassured.RestAssured.given;

import dev.scimsync.stack.LocalStack;
import io.restassured.specification.RequestSpecification;
import java.util.UUID;

/** Requests as an IdP sends them to the shared stack, and names unique to one test run. */
final class ScimClient {

    static final String SCIM = "application/scim+json";
    static final String CORE_USER = "urn:ietf:params:scim:schemas:core:2.0:User";
    static final String ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
    static final String PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

    private ScimClient() {
    }

    static RequestSpecification scim() {
        LocalStack.Endpoints endpoints = SharedStack.endpoints();
        return given().baseUri(endpoints.scimBaseUrl())
                .header("Authorization", "Bearer " + endpoints.scimToken())
                .contentType(SCIM)
                .urlEncodingEnabled(true);
    }

    /** A prefix that keeps one test's users apart from the others' in the shared stack. */
    static String uniquePrefix(String label) {
        return label + "-" + UUID.randomUUID().toString().substring(0, 8) + "-";
    }
}
