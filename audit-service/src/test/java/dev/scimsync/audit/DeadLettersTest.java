package dev.scimsync.audit;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.scimsync.contracts.ContractJson;
import dev.scimsync.contracts.Placement;
import dev.scimsync.contracts.Topics;
import dev.scimsync.contracts.UserCommand;
import dev.scimsync.contracts.UserProfile;
import dev.scimsync.testsupport.KafkaTestClient;
import dev.scimsync.testsupport.TestClock;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;

/** /admin/v1/dead-letters (audit-service's part): every dead-letter topic listed, one record replayed. */
@QuarkusTest
@QuarkusTestResource(AuditTestInfrastructure.class)
class DeadLettersTest {

    private static final String DEAD_LETTERS = "/internal/v1/admin/dead-letters";

    private static KafkaTestClient kafka() {
        return KafkaTestClient.forQuarkusTest();
    }

    private static UserCommand create(String connection, String userName) {
        return UserCommand.create(connection, new UserProfile(userName, null, true,
                ContractJson.mapper().createObjectNode(), new Placement("member", "acme", null)), null);
    }

    /** A record as a service parks it: the original value and key, the reason and origin in headers. */
    private static RecordMetadata park(String deadLetterTopic, String originalTopic, String key, byte[] value,
            Map<String, String> more) {
        ProducerRecord<String, byte[]> parked = new ProducerRecord<>(deadLetterTopic, key, value);
        parked.headers().add("dead-letter-topic", originalTopic.getBytes(StandardCharsets.UTF_8));
        parked.headers().add("dead-letter-partition", "0".getBytes(StandardCharsets.UTF_8));
        parked.headers().add("dead-letter-offset", "41".getBytes(StandardCharsets.UTF_8));
        parked.headers().add("dead-letter-reason", "simulated: refused by an older version".getBytes(StandardCharsets.UTF_8));
        more.forEach((name, headerValue) -> parked.headers().add(name, headerValue.getBytes(StandardCharsets.UTF_8)));
        return kafka().sendAll(List.of(parked)).get(0);
    }

    private static String replayPath(RecordMetadata parked) {
        return DEAD_LETTERS + "/" + parked.topic() + "/" + parked.partition() + "/" + parked.offset() + "/replay";
    }

    private static Map<String, Object> listed(RecordMetadata parked) {
        JsonPath list = given().queryParam("topic", parked.topic()).get(DEAD_LETTERS).then().statusCode(200)
                .extract().jsonPath();
        List<Map<String, Object>> letters = list.getList("deadLetters");
        return letters.stream().filter(letter -> letter.get("id").equals(parked.topic() + "/" + parked.partition()
                + "/" + parked.offset())).findFirst().orElseThrow(() -> new AssertionError("not listed: " + parked));
    }

    @Test
    void aMessageAuditParkedIsListedAndReplayedIntoTheLogNotIntoItsTopic() {
        String connection = "replay-" + UUID.randomUUID();
        UserCommand command = create(connection, "late@x.test");
        RecordMetadata parked = park(Topics.AUDIT_DLQ, Topics.USER_COMMANDS, connection, ContractJson.write(command),
                Map.of());

        Map<String, Object> letter = listed(parked);
        assertEquals(Topics.USER_COMMANDS, letter.get("originalTopic"));
        assertEquals("simulated: refused by an older version", letter.get("reason"));
        assertEquals(connection, letter.get("key"));
        assertNull(letter.get("replayedAt"));

        given().post(replayPath(parked)).then().statusCode(200).body("replayedTo", equalTo("audit_log"));
        given().get("/internal/v1/admin/audit/records?connection=" + connection).then().statusCode(200)
                .body("records", hasSize(1)).body("records[0].action", equalTo("user.create"))
                .body("records[0].commandId", equalTo(command.commandId().toString()));
        assertEquals("audit_log", listed(parked).get("replayedTo"));

        given().post(replayPath(parked)).then().statusCode(409).body("detail", startsWith(parked.topic()));
        given().queryParam("again", true).post(replayPath(parked)).then().statusCode(200);
        given().get("/internal/v1/admin/audit/records?connection=" + connection).then()
                .body("records", hasSize(1));
        given().get("/internal/v1/admin/audit/verify?connection=" + connection).then().body("intact", equalTo(true));
    }

    @Test
    void aReplayIsStampedWithTheInjectedClocksMillisecond() {
        String connection = "replay-clock-" + UUID.randomUUID();
        RecordMetadata parked = park(Topics.AUDIT_DLQ, Topics.USER_COMMANDS, connection,
                ContractJson.write(create(connection, "clock@x.test")), Map.of());
        listed(parked);
        Instant stopped = TestClock.distinctTime();
        String expected = stopped.truncatedTo(ChronoUnit.MILLIS).toString();
        TestClock.shared().stopAt(stopped);
        try {
            given().post(replayPath(parked)).then().statusCode(200).body("replayedAt", equalTo(expected));
        } finally {
            TestClock.shared().run();
        }
        // As stored: what the replay answered is what every later read says.
        assertEquals(expected, listed(parked).get("replayedAt"));
    }

    @Test
    void aParkedCommandGoesBackToItsTopicAsItArrived() {
        String connection = "replay-" + UUID.randomUUID();
        byte[] value = ContractJson.write(create(connection, "again@x.test"));
        String traceparent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
        RecordMetadata parked = park(Topics.USER_COMMANDS_DLQ, Topics.USER_COMMANDS, connection, value,
                Map.of("traceparent", traceparent));

        String to = given().post(replayPath(parked)).then().statusCode(200).extract().path("replayedTo");
        String[] position = to.split("/");
        assertEquals(Topics.USER_COMMANDS, position[0]);
        ConsumerRecord<String, byte[]> sent = kafka().await(Topics.USER_COMMANDS, Duration.ofSeconds(30),
                record -> Optional.of(record).filter(r -> r.partition() == Integer.parseInt(position[1])
                        && r.offset() == Long.parseLong(position[2]))).orElseThrow();
        assertEquals(connection, sent.key());
        assertArrayEquals(value, sent.value());
        assertEquals(traceparent, KafkaTestClient.header(sent, "traceparent"));
        assertNull(sent.headers().lastHeader("dead-letter-reason"), "the parking headers stay behind");
        // Sent again to the command topic, it reaches every consumer of it, audit-service included.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given()
                .get("/internal/v1/admin/audit/records?connection=" + connection).then().body("records", hasSize(1)));
    }

    @Test
    void aMessageStillUnreadableIsNotReplayedAndStaysParked() {
        String connection = "garbage-" + UUID.randomUUID();
        kafka().sendRaw(Topics.USER_COMMANDS, connection, "still garbage".getBytes(StandardCharsets.UTF_8));
        ConsumerRecord<String, byte[]> parked = kafka().await(Topics.AUDIT_DLQ, Duration.ofSeconds(30),
                record -> Optional.of(record).filter(r -> connection.equals(r.key()))).orElseThrow();
        String replay = DEAD_LETTERS + "/" + parked.topic() + "/" + parked.partition() + "/" + parked.offset()
                + "/replay";

        given().post(replay).then().statusCode(422).body("detail", org.hamcrest.Matchers.containsString(
                "still not readable"));
        given().queryParam("topic", Topics.AUDIT_DLQ).get(DEAD_LETTERS).then().statusCode(200)
                .body("deadLetters.find { it.key == '" + connection + "' }.reason",
                        equalTo("not a readable user command"))
                .body("deadLetters.find { it.key == '" + connection + "' }.replayedAt", nullValue());
    }

    @Test
    void unknownTopicsAndPositionsAreRefused() {
        given().queryParam("topic", "scim.user.commands").get(DEAD_LETTERS).then().statusCode(400);
        given().post(DEAD_LETTERS + "/" + Topics.AUDIT_DLQ + "/0/999999/replay").then().statusCode(404);
        given().post(DEAD_LETTERS + "/membership.events/0/0/replay").then().statusCode(404);
    }
}
