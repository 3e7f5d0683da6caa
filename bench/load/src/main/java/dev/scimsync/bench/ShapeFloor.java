package dev.scimsync.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.PoolOptions;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The product's shape with none of the product in it, to measure what the shape itself costs on this machine: a
 * {@code front} (Vert.x HTTP, a Kafka producer and an outcome consumer; the gateway's part) and an {@code owner}
 * (a Kafka consumer applying each poll's creates in one PostgreSQL transaction and publishing their outcomes after
 * the commit, and an HTTP lookup answered from PostgreSQL; membership-service's part), each its own JVM with the
 * services' JVM options, on the stack's Kafka and PostgreSQL. What it keeps of the shape's guarantees: a create is
 * answered after its row is committed (synchronous commit) and its outcome acknowledged by Kafka ({@code acks=all},
 * idempotent producer); offsets are committed after the outcomes; the command id is the row's key, so a command
 * applied twice is stored once. What it leaves out, so that it is a lower bound: SCIM validation and the answer's
 * full resource, token hashing, events and their capture, audit, group-sync, rate limits, metrics, traces, health.
 * Run by {@code LoadBench}'s {@code floor} phase: the same lookup + create loop, the same clients, in the same run
 * as the stack's sync.
 */
final class ShapeFloor {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String TABLE = "bench_floor_member";
    private static final Pattern USER_NAME_EQ = Pattern.compile("userName eq \"([^\"]*)\"");

    private ShapeFloor() {
    }

    /**
     * {@code front PORT KAFKA COMMANDS OUTCOMES OWNER_PORT} or {@code owner PORT KAFKA COMMANDS OUTCOMES JDBC_URL
     * USER PASSWORD}.
     */
    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "front" -> front(Integer.parseInt(args[1]), args[2], args[3], args[4], Integer.parseInt(args[5]));
            case "owner" -> owner(Integer.parseInt(args[1]), args[2], args[3], args[4], args[5], args[6], args[7]);
            default -> throw new IllegalArgumentException("front or owner, not " + args[0]);
        }
    }

    /** The connection a bearer token stands for: any {@code Bearer floor-N} is connection N. */
    static String connection(String authorization) {
        return authorization != null && authorization.startsWith("Bearer floor-") ? authorization.substring(13) : null;
    }

    static String userName(String filter) {
        Matcher matcher = USER_NAME_EQ.matcher(filter == null ? "" : filter);
        return matcher.matches() ? matcher.group(1) : null;
    }

    private static void front(int port, String kafka, String commands, String outcomes, int ownerPort) throws Exception {
        Vertx vertx = Vertx.vertx();
        HttpClient owner = vertx.createHttpClient(new HttpClientOptions().setDefaultHost("localhost")
                .setDefaultPort(ownerPort).setKeepAlive(true), new PoolOptions().setHttp1MaxSize(64));
        KafkaProducer<String, byte[]> producer = producer(kafka);
        Map<String, Consumer<JsonNode>> waiting = new ConcurrentHashMap<>();
        CountDownLatch ready = new CountDownLatch(1);
        Thread outcomeReader = new Thread(() -> readOutcomes(kafka, outcomes, waiting, ready), "outcomes");
        outcomeReader.setDaemon(true);
        outcomeReader.start();
        ready.await();
        vertx.createHttpServer().requestHandler(request -> {
            if (request.path().equals("/ready")) {
                request.response().end("ready");
                return;
            }
            String connection = connection(request.getHeader("Authorization"));
            if (connection == null) {
                request.response().setStatusCode(401).end();
            } else if (request.method() == HttpMethod.GET && request.path().endsWith("/Users")) {
                lookup(request, connection, owner);
            } else if (request.method() == HttpMethod.POST && request.path().endsWith("/Users")) {
                create(request, connection, producer, commands, waiting);
            } else {
                request.response().setStatusCode(404).end();
            }
        }).listen(port).toCompletionStage().toCompletableFuture().join();
        Thread.currentThread().join();
    }

    private static void lookup(HttpServerRequest request, String connection, HttpClient owner) {
        String userName = userName(request.getParam("filter"));
        if (userName == null) {
            request.response().setStatusCode(400).end();
            return;
        }
        owner.request(HttpMethod.GET, "/lookup?connection=" + connection + "&userName="
                        + URLEncoder.encode(userName, StandardCharsets.UTF_8))
                .compose(sent -> sent.send()).compose(answer -> answer.body())
                .onSuccess(body -> {
                    ArrayNode found = (ArrayNode) read(body.getBytes());
                    ObjectNode list = JSON.createObjectNode();
                    list.putArray("schemas").add("urn:ietf:params:scim:api:messages:2.0:ListResponse");
                    list.put("totalResults", found.size());
                    list.set("Resources", found);
                    request.response().putHeader("Content-Type", "application/scim+json").end(list.toString());
                })
                .onFailure(failure -> request.response().setStatusCode(503).end());
    }

    private static void create(HttpServerRequest request, String connection, KafkaProducer<String, byte[]> producer,
            String commands, Map<String, Consumer<JsonNode>> waiting) {
        Context context = Vertx.currentContext();
        request.body().onSuccess(body -> {
            JsonNode user = read(body.getBytes());
            if (user == null || !user.path("userName").isTextual()) {
                request.response().setStatusCode(400).end();
                return;
            }
            String commandId = UUID.randomUUID().toString();
            ObjectNode command = JSON.createObjectNode().put("commandId", commandId).put("connection", connection);
            command.set("user", user);
            waiting.put(commandId, outcome -> context.runOnContext(ignored -> {
                ObjectNode created = ((ObjectNode) user).put("id", outcome.path("id").asText());
                request.response().setStatusCode(outcome.path("status").asInt())
                        .putHeader("Content-Type", "application/scim+json").end(created.toString());
            }));
            producer.send(new ProducerRecord<>(commands, connection, command.toString().getBytes(StandardCharsets.UTF_8)),
                    (metadata, failure) -> {
                        if (failure != null && waiting.remove(commandId) != null) {
                            context.runOnContext(ignored -> request.response().setStatusCode(503).end());
                        }
                    });
        });
    }

    /** Reads every partition of the outcomes topic from its end and hands each outcome to whoever waits on it. */
    private static void readOutcomes(String kafka, String outcomes, Map<String, Consumer<JsonNode>> waiting,
            CountDownLatch ready) {
        Properties settings = new Properties();
        settings.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka);
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(settings, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(outcomes).stream()
                    .map(info -> new TopicPartition(outcomes, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);
            ready.countDown();  // the front takes requests once its reader stands at the topic's end
            while (true) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofSeconds(1))) {
                    JsonNode outcome = read(record.value());
                    Consumer<JsonNode> answer = waiting.remove(outcome.path("commandId").asText());
                    if (answer != null) {
                        answer.accept(outcome);
                    }
                }
            }
        }
    }

    private static void owner(int port, String kafka, String commands, String outcomes, String url, String user,
            String password) throws Exception {
        try (Connection setup = DriverManager.getConnection(url, user, password);
                Statement statement = setup.createStatement()) {
            statement.execute("create table if not exists " + TABLE + " (id uuid primary key, connection text not null, "
                    + "user_name text not null, attributes jsonb not null, created_at timestamptz not null)");
            statement.execute("create unique index if not exists " + TABLE + "_user_name on " + TABLE
                    + " (connection, lower(user_name))");
        }
        Vertx vertx = Vertx.vertx();
        BlockingQueue<Connection> lookupConnections = new ArrayBlockingQueue<>(4);
        for (int i = 0; i < 4; i++) {
            lookupConnections.add(DriverManager.getConnection(url, user, password));
        }
        vertx.createHttpServer().requestHandler(request -> {
            if (request.path().equals("/ready")) {
                request.response().end("ready");
                return;
            }
            String connection = request.getParam("connection");
            String userName = request.getParam("userName");
            vertx.executeBlocking(() -> find(lookupConnections, connection, userName), false)
                    .onSuccess(found -> request.response().putHeader("Content-Type", "application/json").end(found))
                    .onFailure(failure -> request.response().setStatusCode(500).end());
        }).listen(port).toCompletionStage().toCompletableFuture().join();
        applyCommands(kafka, commands, outcomes, url, user, password);
    }

    private static String find(BlockingQueue<Connection> connections, String connection, String userName)
            throws Exception {
        Connection database = connections.take();
        try (PreparedStatement select = database.prepareStatement("select id, attributes from " + TABLE
                + " where connection = ? and lower(user_name) = lower(?)")) {
            select.setString(1, connection);
            select.setString(2, userName);
            ArrayNode found = JSON.createArrayNode();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    found.add(((ObjectNode) JSON.readTree(rows.getString(2))).put("id", rows.getString(1)));
                }
            }
            return found.toString();
        } finally {
            connections.add(database);
        }
    }

    /**
     * One poll's creates, of every partition it brought, in one transaction ({@code unnest} insert); then their
     * outcomes, acknowledged by Kafka; then the offsets.
     */
    private static void applyCommands(String kafka, String commands, String outcomes, String url, String user,
            String password) throws Exception {
        Properties consumerSettings = new Properties();
        consumerSettings.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka);
        consumerSettings.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-floor-" + commands);
        consumerSettings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        consumerSettings.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumerSettings.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "500");
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(consumerSettings, new StringDeserializer(),
                new ByteArrayDeserializer());
                KafkaProducer<String, byte[]> producer = producer(kafka);
                Connection database = DriverManager.getConnection(url, user, password);
                PreparedStatement insert = database.prepareStatement("insert into " + TABLE
                        + " (id, connection, user_name, attributes, created_at) select id, connection, user_name, "
                        + "attributes, now() from unnest(?::uuid[], ?::text[], ?::text[], ?::jsonb[]) "
                        + "as t(id, connection, user_name, attributes) on conflict do nothing returning id")) {
            database.setAutoCommit(false);
            consumer.subscribe(List.of(commands));
            while (true) {
                ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofSeconds(1));
                if (records.isEmpty()) {
                    continue;
                }
                List<JsonNode> batch = new ArrayList<>();
                records.forEach(record -> batch.add(read(record.value())));
                String[] ids = new String[batch.size()];
                String[] connections = new String[batch.size()];
                String[] userNames = new String[batch.size()];
                String[] attributes = new String[batch.size()];
                for (int i = 0; i < batch.size(); i++) {
                    ids[i] = batch.get(i).path("commandId").asText();
                    connections[i] = batch.get(i).path("connection").asText();
                    userNames[i] = batch.get(i).path("user").path("userName").asText();
                    attributes[i] = batch.get(i).path("user").toString();
                }
                insert.setArray(1, database.createArrayOf("uuid", ids));
                insert.setArray(2, database.createArrayOf("text", connections));
                insert.setArray(3, database.createArrayOf("text", userNames));
                insert.setArray(4, database.createArrayOf("jsonb", attributes));
                Set<String> inserted = new HashSet<>();
                try (ResultSet rows = insert.executeQuery()) {
                    while (rows.next()) {
                        inserted.add(rows.getString(1));
                    }
                }
                database.commit();
                for (int i = 0; i < ids.length; i++) {
                    ObjectNode outcome = JSON.createObjectNode().put("commandId", ids[i]).put("id", ids[i])
                            .put("status", inserted.contains(ids[i]) ? 201 : 409);
                    producer.send(new ProducerRecord<>(outcomes, connections[i],
                            outcome.toString().getBytes(StandardCharsets.UTF_8)));
                }
                producer.flush();
                consumer.commitSync();
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The front and the owner, started as their own JVMs beside the stack; closing stops them and drops their data. */
    record Running(Process owner, Process front, int frontPort, String kafka, List<String> topics, String url,
            String user, String password) implements AutoCloseable {

        String scimBaseUrl() {
            return "http://localhost:" + frontPort + "/scim/v2";
        }

        Map<String, List<Long>> processes() {
            Map<String, List<Long>> named = new LinkedHashMap<>();
            named.put("shape floor: front", List.of(front.pid()));
            named.put("shape floor: owner", List.of(owner.pid()));
            return named;
        }

        /** How many rows the owner committed whose userName ends with {@code suffix}. */
        long rowsEndingWith(String suffix) throws SQLException {
            try (Connection database = DriverManager.getConnection(url, user, password);
                    PreparedStatement count = database.prepareStatement("select count(*) from " + TABLE
                            + " where user_name like ?")) {
                count.setString(1, "%" + suffix);
                try (ResultSet rows = count.executeQuery()) {
                    rows.next();
                    return rows.getLong(1);
                }
            }
        }

        @Override
        public void close() throws Exception {
            for (Process process : List.of(front, owner)) {
                process.destroy();
                process.waitFor();
            }
            try (Admin admin = Admin.create(
                    Map.of("bootstrap.servers", kafka))) {
                admin.deleteTopics(topics).all().get();
            }
            try (Connection cleanup = DriverManager.getConnection(url, user, password);
                    Statement statement = cleanup.createStatement()) {
                statement.execute("drop table if exists " + TABLE);
            }
        }
    }

    /**
     * Starts the owner and the front with {@code jvmOptions} (the services'), on new topics of 4 partitions each (as
     * the stack's command and outcome topics), and waits until both answer.
     */
    static Running start(String kafka, String url, String user, String password, String run, List<String> jvmOptions,
            Path logs) throws Exception {
        String commands = "bench.floor.commands." + run;
        String outcomes = "bench.floor.outcomes." + run;
        try (Admin admin = Admin.create(
                Map.of("bootstrap.servers", kafka))) {
            admin.createTopics(List.of(new NewTopic(commands, 4, (short) 1),
                    new NewTopic(outcomes, 4, (short) 1))).all().get();
        }
        int ownerPort = freePort();
        int frontPort = freePort();
        Process owner = java(jvmOptions, logs.resolve("shape-floor-owner.log"), "owner", Integer.toString(ownerPort), kafka,
                commands, outcomes, url, user, password);
        Process front = java(jvmOptions, logs.resolve("shape-floor-front.log"), "front", Integer.toString(frontPort), kafka,
                commands, outcomes, Integer.toString(ownerPort));
        Running running = new Running(owner, front, frontPort, kafka, List.of(commands, outcomes), url, user, password);
        try {
            awaitReady(owner, ownerPort, logs.resolve("shape-floor-owner.log"));
            awaitReady(front, frontPort, logs.resolve("shape-floor-front.log"));
        } catch (Exception e) {
            running.close();
            throw e;
        }
        return running;
    }

    private static Process java(List<String> jvmOptions, Path log, String... arguments) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(ShapeFloor.class.getName());
        command.addAll(List.of(arguments));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void awaitReady(Process process, int port, Path log) throws Exception {
        java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the shape floor's process ended: " + Files.readString(log));
            }
            try {
                if (client.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port
                        + "/ready")).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("the shape floor's process on port " + port + " did not answer within 60 s");
    }

    /** Both sides' producer: every record acknowledged by all replicas, idempotent, sent at once (no linger). */
    private static KafkaProducer<String, byte[]> producer(String kafka) {
        Properties settings = new Properties();
        settings.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka);
        settings.put(ProducerConfig.ACKS_CONFIG, "all");
        settings.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        settings.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        return new KafkaProducer<>(settings, new StringSerializer(), new ByteArraySerializer());
    }

    private static JsonNode read(byte[] json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            return null;
        }
    }
}
