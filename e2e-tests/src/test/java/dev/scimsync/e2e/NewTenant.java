package dev.scimsync.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** A fresh organization with a SCIM-enabled connection, made through the admin API of the shared stack. */
final class NewTenant {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private NewTenant() {
    }

    /** Creates {@code organization} and its connection {@code organization-sso}; answers a SCIM token. */
    static String scimToken(String organization) throws IOException, InterruptedException {
        admin("POST", "/organizations", "{\"name\":\"" + organization + "\"}");
        admin("POST", "/connections", "{\"name\":\"" + organization + "-sso\",\"organizations\":[\"" + organization
                + "\"],\"defaultOrganization\":\"" + organization + "\",\"scimEnabled\":true}");
        return admin("POST", "/connections/" + organization + "-sso/scim-tokens", null).path("token").asText();
    }

    /**
     * Switches the mass-deprovisioning guard of {@code connection} off, for a test whose IdP deactivates or deletes
     * more than the guard lets through (it would hold them for an admin); MassDeprovisioningGuardIT tests the guard.
     */
    static void withoutMassDeprovisioningGuard(String connection) throws IOException, InterruptedException {
        admin("PATCH", "/connections/" + connection + "/guard", "{\"enabled\": false}");
    }

    /** One admin API call that must succeed; answers its JSON. */
    static JsonNode admin(String method, String path, String body) throws IOException, InterruptedException {
        var endpoints = SharedStack.endpoints();
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(endpoints.adminBaseUrl() + path))
                .header("Authorization", "Bearer " + endpoints.adminToken()).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(response.statusCode() / 100 == 2, path + " answered " + response.statusCode() + ": " + response.body());
        return response.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(response.body());
    }
}
