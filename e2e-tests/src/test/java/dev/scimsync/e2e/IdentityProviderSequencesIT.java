package dev.scimsync.e2e;

import static dev.scimsync.e2e.ScimClient.CORE_USER;
import static dev.scimsync.e2e.ScimClient.ENTERPRISE;
import static dev.scimsync.e2e.ScimClient.PATCH_OP;
import static dev.scimsync.e2e.ScimClient.SCIM;
import static dev.scimsync.e2e.ScimClient.scim;
import static dev.scimsync.e2e.ScimClient.uniquePrefix;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

/** The request sequences Okta, Microsoft Entra ID and JumpCloud/OneLogin really send, replayed end to end. */
class IdentityProviderSequencesIT {

    @Test
    void oktaProvisioningLifecycle() {
        String userName = uniquePrefix("okta") + "isaac@example.com";
        // Okta looks the user up before every create.
        scim().queryParam("filter", "userName eq \"" + userName + "\"").queryParam("startIndex", 1)
                .queryParam("count", 100).get("/Users")
                .then().statusCode(200).contentType(SCIM).body("totalResults", equalTo(0)).body("Resources", hasSize(0));

        Response created = scim().body("""
                {"schemas":["%s"],"userName":"%s","name":{"givenName":"Isaac","familyName":"Brock"},
                 "emails":[{"primary":true,"value":"%s","type":"work"}],"displayName":"Isaac Brock",
                 "locale":"en-US","externalId":"00ujl29u0le5T6Aj10h7","groups":[],"password":"1mz050nq","active":true}"""
                .formatted(CORE_USER, userName, userName)).post("/Users");
        created.then().statusCode(201).body("password", nullValue()).body("groups", nullValue());
        String id = created.path("id");

        scim().queryParam("filter", "userName eq \"" + userName.toUpperCase() + "\"").get("/Users")
                .then().statusCode(200).body("totalResults", equalTo(1)).body("Resources[0].id", equalTo(id));

        // Profile push: a full PUT; what it omits (locale) is cleared, read-only attributes are kept.
        scim().body("""
                {"schemas":["%s"],"id":"%s","userName":"%s","name":{"givenName":"Isaac","familyName":"Brock-Smith"},
                 "emails":[{"primary":true,"value":"%s","type":"work"}],"displayName":"Isaac Brock-Smith",
                 "externalId":"00ujl29u0le5T6Aj10h7","active":true,"meta":{"resourceType":"User"}}"""
                .formatted(CORE_USER, id, userName, userName)).put("/Users/{id}", id)
                .then().statusCode(200).body("name.familyName", equalTo("Brock-Smith")).body("locale", nullValue())
                .body("meta.version", equalTo("W/\"2\"")).body("id", equalTo(id));

        // Deactivation, both ways Okta does it, and reactivation with the same id.
        scim().body("""
                {"schemas":["%s"],"Operations":[{"op":"replace","value":{"active":false}}]}""".formatted(PATCH_OP))
                .patch("/Users/{id}", id).then().statusCode(200).body("active", equalTo(false));
        scim().body("""
                {"schemas":["%s"],"userName":"%s","active":true,"name":{"givenName":"Isaac","familyName":"Brock-Smith"}}"""
                .formatted(CORE_USER, userName)).put("/Users/{id}", id)
                .then().statusCode(200).body("active", equalTo(true)).body("id", equalTo(id));
        scim().body("{\"schemas\":[\"%s\"],\"userName\":\"%s\",\"active\":false}".formatted(CORE_USER, userName))
                .put("/Users/{id}", id).then().statusCode(200).body("active", equalTo(false));

        // A duplicate create is 409 with a SCIM body; 401 and 404 carry SCIM bodies too.
        scim().body("{\"schemas\":[\"%s\"],\"userName\":\"%s\"}".formatted(CORE_USER, userName)).post("/Users")
                .then().statusCode(409).contentType(SCIM).body("scimType", equalTo("uniqueness"));
        scim().get("/Users/{id}", "00000000-0000-0000-0000-000000000000")
                .then().statusCode(404).contentType(SCIM).body("status", equalTo("404"));
        io.restassured.RestAssured.given().baseUri(SharedStack.endpoints().scimBaseUrl()).get("/Users")
                .then().statusCode(401).contentType(SCIM).body("status", equalTo("401"));
    }

    @Test
    void entraIdProvisioningLifecycle() {
        String prefix = uniquePrefix("entra");
        String userName = prefix + "Test_User_ab6490ee@testuser.com";
        // "Test connection" probes with random identifiers.
        scim().queryParam("filter", "userName eq \"" + prefix + "e8d5f6f2-4d1e@example.com\"").get("/Users")
                .then().statusCode(200).body("totalResults", equalTo(0));
        scim().get("/Users/{id}", "e8d5f6f2-4d1e-4b77-9f71-0dd5c0a87d0f").then().statusCode(404);
        scim().queryParam("filter", "externalId eq " + prefix + "jyoung").get("/Users")
                .then().statusCode(200).body("totalResults", equalTo(0));

        Response created = scim().body("""
                {"schemas":["%s","%s"],"externalId":"%s0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef","userName":"%s",
                 "active":true,"emails":[{"primary":true,"type":"work","value":"%s"}],
                 "meta":{"resourceType":"User"},"name":{"formatted":"givenName familyName","familyName":"familyName",
                 "givenName":"givenName"},"roles":[],
                 "%s":{"employeeNumber":"701984","department":"Tour Operations","manager":"12345"}}"""
                .formatted(CORE_USER, ENTERPRISE, prefix, userName, userName, ENTERPRISE)).post("/Users");
        created.then().statusCode(201);
        String id = created.path("id");
        scim().get("/Users/{id}", id).then().statusCode(200)
                .body("'" + ENTERPRISE + "'.manager.value", equalTo("12345"))
                .body("'" + ENTERPRISE + "'.department", equalTo("Tour Operations"));

        scim().body("""
                {"schemas":["%s"],"Operations":[
                  {"op":"Replace","path":"displayName","value":"Ryan Leenay"},
                  {"op":"Add","path":"phoneNumbers[type eq \\"mobile\\"].value","value":"+1 425 555 0100"},
                  {"op":"Replace","value":{"name.givenName":"Ryan","%s:department":"Finance"}},
                  {"op":"Replace","path":"active","value":"False"}]}""".formatted(PATCH_OP, ENTERPRISE))
                .patch("/Users/{id}", id)
                .then().statusCode(200)
                .body("displayName", equalTo("Ryan Leenay"))
                .body("phoneNumbers[0].type", equalTo("mobile"))
                .body("phoneNumbers[0].value", equalTo("+1 425 555 0100"))
                .body("name.givenName", equalTo("Ryan"))
                .body("name.familyName", equalTo("familyName"))
                .body("'" + ENTERPRISE + "'.department", equalTo("Finance"))
                .body("active", equalTo(false));

        // Clearing with an empty value, and the filter Entra uses afterwards.
        scim().body("""
                {"schemas":["%s"],"Operations":[{"op":"Replace","path":"displayName","value":""}]}""".formatted(PATCH_OP))
                .patch("/Users/{id}", id).then().statusCode(200).body("displayName", nullValue());
        scim().queryParam("filter", "externalId eq \"" + prefix + "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef\"")
                .get("/Users").then().statusCode(200).body("totalResults", equalTo(1));

        scim().delete("/Users/{id}", id).then().statusCode(204);
        scim().get("/Users/{id}", id).then().statusCode(404);
    }

    @Test
    void jumpCloudAndOneLoginTestConnectionCreatesAndDeletesAThrowawayUser() {
        String userName = uniquePrefix("probe") + "scim-test@example.com";
        String id = scim().body("{\"schemas\":[\"%s\"],\"userName\":\"%s\",\"name\":{\"givenName\":\"T\",\"familyName\":\"T\"}}"
                .formatted(CORE_USER, userName)).post("/Users").then().statusCode(201).extract().path("id");
        scim().delete("/Users/{id}", id).then().statusCode(204);
        scim().delete("/Users/{id}", id).then().statusCode(404).contentType(SCIM);
    }
}
