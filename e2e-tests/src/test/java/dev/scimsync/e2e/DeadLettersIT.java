package dev.scimsync.e2e;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scimsync.contracts.Topics;
import dev.scimsync.stack.LocalStack;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * A command no service can read is parked by each of its consumers (membership-service on its own dead-letter
 * topic, audit-service on audit.dlq), listed by the admin API with the reason, and replayed to its topic.
 */
class DeadLettersIT {

    private static RequestSpecification admin() {
        LocalStack.Endpoints endpoints = SharedStack.endpoints();
        return given().baseUri(endpoints.adminBaseUrl()).header("Authorization", "Bearer " + endpoints.adminToken())
                .contentType(ContentType.JSON);
    }

    /** Sends a user command nothing can read, keyed as the gateway keys commands (by connection). */
    static void sendUnreadableCommand(String key) throws Exception {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedStack.kafkaBootstrapServers()),
                new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(Topics.USER_COMMANDS, key,
                    "{\"not\": \"a command\"".getBytes(StandardCharsets.UTF_8))).get(30, TimeUnit.SECONDS);
        }
    }

    /** The listed dead letters of one topic with this key. */
    static List<Map<String, Object>> parked(String topic, String key) {
        List<Map<String, Object>> letters = admin().queryParam("topic", topic).get("/dead-letters").then()
                .statusCode(200).extract().jsonPath().getList("deadLetters");
        return letters.stream().filter(letter -> key.equals(letter.get("key"))).toList();
    }

    @Test
    void anUnreadableCommandIsParkedByEachConsumerListedWithItsReasonAndReplayedToItsTopic() throws Exception {
        String key = "dead-letter-it-" + UUID.randomUUID();
        sendUnreadableCommand(key);

        await().atMost(Duration.ofSeconds(60)).until(() -> parked(Topics.USER_COMMANDS_DLQ, key).size() == 1
                && parked(Topics.AUDIT_DLQ, key).size() == 1);
        Map<String, Object> membership = parked(Topics.USER_COMMANDS_DLQ, key).get(0);
        assertEquals(Topics.USER_COMMANDS, membership.get("originalTopic"));
        assertTrue(String.valueOf(membership.get("reason")).contains("not a readable user command"),
                String.valueOf(membership));
        assertEquals("not a readable user command", parked(Topics.AUDIT_DLQ, key).get(0).get("reason"));

        // Replayed (here without a fix), it reaches membership-service again, which parks it again.
        String replayedTo = admin().post("/dead-letters/" + membership.get("id") + "/replay").then().statusCode(200)
                .extract().path("replayedTo");
        assertTrue(replayedTo.startsWith(Topics.USER_COMMANDS + "/"), replayedTo);
        await().atMost(Duration.ofSeconds(60)).until(() -> parked(Topics.USER_COMMANDS_DLQ, key).size() == 2);
        admin().post("/dead-letters/" + membership.get("id") + "/replay").then().statusCode(409);
        assertEquals(replayedTo, parked(Topics.USER_COMMANDS_DLQ, key).stream()
                .filter(letter -> letter.get("id").equals(membership.get("id"))).findFirst().orElseThrow()
                .get("replayedTo"));
    }
}
