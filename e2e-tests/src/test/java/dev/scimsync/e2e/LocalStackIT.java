package dev.scimsync.e2e;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scimsync.stack.LocalStack;
import io.restassured.response.Response;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The Foundation's walk-through: the four packaged services as separate JVMs ({@link SharedStack}), driven
 * over HTTP the way an IdP drives them.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalStackIT {

    private static final String SCIM = "application/scim+json";
    private static LocalStack.Endpoints endpoints;
    private static String createdId;

    @BeforeAll
    static void startStack() {
        endpoints = SharedStack.endpoints();
    }

    private static io.restassured.specification.RequestSpecification scim() {
        return given().baseUri(endpoints.scimBaseUrl()).header("Authorization", "Bearer " + endpoints.scimToken())
                .contentType(SCIM);
    }

    @Test
    @Order(1)
    void createAnswers201WithTheCommittedUser() {
        Response created = scim().body("""
                {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"jane.doe@example.com",
                 "name":{"givenName":"Jane","familyName":"Doe"},"emails":[{"value":"jane.doe@example.com","primary":true}],
                 "active":true}""").post("/Users");

        created.then().statusCode(201).contentType(SCIM)
                .header("Location", matchesPattern(".*/scim/v2/Users/[0-9a-f-]{36}"))
                .body("userName", equalTo("jane.doe@example.com"))
                .body("name.familyName", equalTo("Doe"))
                .body("meta.version", equalTo("W/\"1\""));
        createdId = created.path("id");
    }

    @Test
    @Order(2)
    void readReturnsTheSameResource() {
        scim().get("/Users/{id}", createdId).then().statusCode(200).contentType(SCIM)
                .body("id", equalTo(createdId))
                .body("userName", equalTo("jane.doe@example.com"))
                .body("emails[0].value", equalTo("jane.doe@example.com"));
    }

    @Test
    @Order(3)
    void aDuplicateUserNameIs409() {
        scim().body("{\"userName\":\"Jane.Doe@Example.com\"}").post("/Users").then()
                .statusCode(409).contentType(SCIM).body("scimType", equalTo("uniqueness"));
    }

    @Test
    @Order(4)
    void aBadTokenIs401() {
        given().baseUri(endpoints.scimBaseUrl()).header("Authorization", "Bearer scim_000000000000_not-the-right-secret")
                .contentType(SCIM).body("{\"userName\":\"x@example.com\"}").post("/Users")
                .then().statusCode(401).contentType(SCIM).body("status", equalTo("401"));
    }

    @Test
    @Order(5)
    void malformedJsonIs400() {
        scim().body("{\"userName\":").post("/Users").then()
                .statusCode(400).contentType(SCIM).body("scimType", equalTo("invalidSyntax"));
    }

    @Test
    @Order(6)
    void theAdminApiServesTheBootstrapOrganization() {
        given().baseUri(endpoints.adminBaseUrl()).header("Authorization", "Bearer " + endpoints.adminToken())
                .get("/organizations/{name}", LocalStack.BOOTSTRAP_ORGANIZATION)
                .then().statusCode(200).body("name", equalTo(LocalStack.BOOTSTRAP_ORGANIZATION))
                .body("members", org.hamcrest.Matchers.greaterThanOrEqualTo(1));
    }

    @Test
    @Order(7)
    void theAuditServiceRecordedTheCommandsAndOutcomes() throws InterruptedException {
        // The create and the duplicate above: their commands and outcomes, the rejection with its reason.
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (Instant.now().isBefore(deadline)) {
            Response records = given().baseUri(endpoints.adminBaseUrl())
                    .header("Authorization", "Bearer " + endpoints.adminToken())
                    .get("/audit/records?limit=500");
            List<String> outcomes = records.jsonPath().getList("records.outcome");
            List<String> kinds = records.jsonPath().getList("records.kind");
            if (outcomes.contains("rejected:uniqueness") && outcomes.contains("applied")
                    && kinds.stream().filter("command"::equals).count() >= 2) {
                return;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("the audit log lacks the create, the duplicate or their outcomes");
    }

    /**
     * Internal services, Kafka and PostgreSQL answer this machine only, and so does the gateway unless
     * STACK_GATEWAY_HOST opens it: each port accepts a connection on 127.0.0.1 and refuses one on this
     * machine's network address.
     */
    @Test
    void nothingListensBeyondTheLoopback() throws Exception {
        InetAddress network = Collections.list(NetworkInterface.getNetworkInterfaces())
                .stream().filter(nic -> {
                    try {
                        return nic.isUp() && !nic.isLoopback();
                    } catch (SocketException e) {
                        return false;
                    }
                }).flatMap(nic -> Collections.list(nic.getInetAddresses()).stream())
                .filter(address -> address instanceof Inet4Address).findFirst()
                .orElseThrow(() -> new AssertionError("this machine has no network address to try"));
        for (Map.Entry<String, Integer> port : SharedStack.listeningPorts().entrySet()) {
            assertTrue(accepts(InetAddress.getLoopbackAddress(), port.getValue()), port + " on 127.0.0.1");
            assertFalse(accepts(network, port.getValue()), port + " must not be reachable on " + network);
        }
    }

    private static boolean accepts(InetAddress address, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, port), 2000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
