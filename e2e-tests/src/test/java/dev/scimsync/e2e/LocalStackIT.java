package dev.scimsync.e2e;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scimsync.stack.LocalStack;
import dev.scimsync.stack.StackSettings;
import io.restassured.response.Response;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The four packaged services as separate JVMs, with Kafka and PostgreSQL, started by the same code as
 * {@code deploy/local/stack} (on free ports and a throw-away data directory), driven over HTTP the way an
 * IdP drives them.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalStackIT {

    private static final String SCIM = "application/scim+json";
    private static Path data;
    private static LocalStack stack;
    private static LocalStack.Endpoints endpoints;
    private static String createdId;
    private static int auditPort;

    @BeforeAll
    static void startStack() throws Exception {
        data = Files.createTempDirectory("scim-e2e");
        Map<String, String> env = new HashMap<>();
        env.put("STACK_DATA_DIR", data.toString());
        for (String port : new String[] {"STACK_GATEWAY_PORT", "STACK_MEMBERSHIP_PORT", "STACK_GROUP_SYNC_PORT",
                "STACK_AUDIT_PORT", "STACK_KAFKA_PORT", "STACK_KAFKA_CONTROLLER_PORT", "STACK_POSTGRES_PORT"}) {
            env.put(port, Integer.toString(freePort()));
        }
        auditPort = Integer.parseInt(env.get("STACK_AUDIT_PORT"));
        Path root = Path.of(System.getProperty("stack.project-root", "..")).toAbsolutePath().normalize();
        stack = LocalStack.start(StackSettings.fromEnvironment(root, env), line -> System.out.println("[e2e] " + line));
        endpoints = stack.endpoints();
    }

    @AfterAll
    static void stopStack() throws IOException {
        if (stack != null) {
            stack.close();
        }
        try (Stream<Path> files = Files.walk(data)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
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
                .then().statusCode(200).body("members", equalTo(1));
    }

    @Test
    @Order(7)
    void theAuditServiceRecordedTheCommandsAndOutcomes() throws InterruptedException {
        // The create and the duplicate: two commands, two outcomes, each stored once.
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        String commandIds = null;
        while (Instant.now().isBefore(deadline)) {
            Response outcomes = given().baseUri("http://localhost:" + auditPort)
                    .get("/internal/v1/audit/records?limit=10");
            if (outcomes.statusCode() == 200 && outcomes.jsonPath().getList("$").size() >= 4) {
                outcomes.then().body("kind", containsInAnyOrder("command", "command", "outcome", "outcome"));
                commandIds = outcomes.asString();
                break;
            }
            Thread.sleep(250);
        }
        assertTrue(commandIds != null, "the audit log shows both commands and both outcomes");
        assertEquals(4, given().baseUri("http://localhost:" + auditPort)
                .get("/internal/v1/audit/records?limit=10").jsonPath().getList("$").size());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
