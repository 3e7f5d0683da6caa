package dev.scimsync.bench;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one phase cost the stack, per create: SQL statements and WAL flushes (PostgreSQL), Kafka records,
 * internal HTTP calls (membership-service, group-sync-service, audit-service) and CPU per process. Every
 * counter is a snapshot at the phase's start and end; the end waits (at most 30 s) until the services have
 * finished what the phase left queued (audit records, outbox events) unless the next phase must start at once.
 */
final class PhaseCounters {

    /** The services whose HTTP requests are internal calls (the gateway's are the benchmark's own). */
    static final List<String> INTERNAL = List.of("membership-service", "group-sync-service", "audit-service");
    static final String GATEWAY = "scim-gateway";

    /** Targets from issue 17, printed beside the figures. */
    static final double TARGET_STATEMENTS = 5;
    static final double TARGET_WAL_FLUSHES = 0.1;
    static final double TARGET_INTERNAL_HTTP = 0;

    private final DatabaseCounters database;
    private final KafkaCounters kafka;
    private final HttpCallCounters http;
    private final Processes processes;

    private DatabaseCounters.Snapshot databaseBefore;
    private Map<String, Double> kafkaBefore;
    private Map<String, String> metricsBefore;
    private long startedAt;

    /** The figures of one phase, per create; null fields were not measured. */
    record Result(long creates, double seconds, Double statements, Double transactionControl,
            Map<String, Double> statementsByDatabase, List<DatabaseCounters.StatementCalls> topStatements,
            long deallocations, Double walSync, Double walWrite, Double walRecords, Double walBytes,
            Double kafkaRecords, Map<String, Double> kafkaByTopic, Double internalHttp,
            Map<String, Double> internalHttpByRoute, Double gatewayHttp, String commandLoop, String cpu,
            String window) {
    }

    PhaseCounters(DatabaseCounters database, KafkaCounters kafka, HttpCallCounters http, Processes processes) {
        this.database = database;
        this.kafka = kafka;
        this.http = http;
        this.processes = processes;
    }

    void start() {
        databaseBefore = database.snapshot();
        kafkaBefore = kafka.snapshot();
        metricsBefore = http.snapshot();
        processes.start();
        startedAt = System.nanoTime();
    }

    /**
     * Ends the phase.
     *
     * @param settle wait until the services are idle first (no: the next phase starts at once)
     */
    Result stop(long creates, boolean settle) throws InterruptedException {
        long loopEnded = System.nanoTime();
        double phaseSeconds = (loopEnded - startedAt) / 1e9;
        String window;
        if (settle) {
            long settled = settle(phaseSeconds);
            window = String.format("from the phase's start to %.0f s after its last answer, when the services were idle",
                    settled / 1e9);
        } else {
            window = "from the phase's start to its last answer (the next phase starts at once, so work still queued"
                    + " then - audit records, outbox events - is not counted)";
        }
        DatabaseCounters.Snapshot databaseAfter = database.snapshot();
        Map<String, Double> kafkaAfter = kafka.snapshot();
        Map<String, String> metricsAfter = http.snapshot();
        String cpu = processes.stop(creates);

        Map<String, DatabaseCounters.StatementCalls> statements = DatabaseCounters.delta(databaseBefore, databaseAfter);
        Double total = DatabaseCounters.totalCalls(statements);
        Double transactionControl = statements == null ? null : statements.values().stream()
                .filter(s -> DatabaseCounters.isTransactionControl(s.query()))
                .mapToDouble(DatabaseCounters.StatementCalls::calls).sum();
        Map<String, Double> byDatabase = new TreeMap<>();
        List<DatabaseCounters.StatementCalls> top = List.of();
        if (statements != null) {
            statements.values().forEach(s -> byDatabase.merge(s.database(), s.calls(), Double::sum));
            top = statements.values().stream()
                    .sorted(Comparator.comparingDouble(DatabaseCounters.StatementCalls::calls).reversed())
                    .limit(15).toList();
        }
        Map<String, Double> wal = Deltas.of(databaseBefore.wal(), databaseAfter.wal());

        Map<String, Double> kafkaByTopic = kafkaBefore.isEmpty() || kafkaAfter.isEmpty() ? null
                : Deltas.of(kafkaBefore, kafkaAfter);

        Map<String, Map<String, Double>> httpBefore = HttpCallCounters.requestsByService(metricsBefore);
        Map<String, Map<String, Double>> httpAfter = HttpCallCounters.requestsByService(metricsAfter);
        Double internal = null;
        Map<String, Double> internalByRoute = new TreeMap<>();
        boolean allAnswered = INTERNAL.stream().allMatch(s -> httpBefore.containsKey(s) && httpAfter.containsKey(s));
        if (allAnswered) {
            internal = 0.0;
            for (String service : INTERNAL) {
                Map<String, Double> moved = Deltas.of(httpBefore.get(service), httpAfter.get(service));
                for (var route : moved.entrySet()) {
                    if (route.getValue() > 0) {
                        internalByRoute.put(service + " " + route.getKey(), route.getValue());
                        internal += route.getValue();
                    }
                }
            }
        }
        Double gateway = httpBefore.containsKey(GATEWAY) && httpAfter.containsKey(GATEWAY)
                ? Deltas.total(Deltas.of(httpBefore.get(GATEWAY), httpAfter.get(GATEWAY))) : null;
        return new Result(creates, phaseSeconds, total, transactionControl, byDatabase, top,
                databaseAfter.deallocations() - databaseBefore.deallocations(),
                wal.get("wal_sync"), wal.get("wal_write"), wal.get("wal_records"), wal.get("wal_bytes"),
                kafkaByTopic == null ? null : Deltas.total(kafkaByTopic), kafkaByTopic, internal, internalByRoute,
                gateway, CommandLoop.describe(commandLoop(metricsBefore), commandLoop(metricsAfter), phaseSeconds), cpu,
                window);
    }

    private static CommandLoop.Snapshot commandLoop(Map<String, String> metrics) {
        String membership = metrics.get("membership-service");
        return membership == null ? null : CommandLoop.of(membership);
    }

    /** Waits until a second passes with (almost) no statements and no Kafka records; answers the nanos waited. */
    private long settle(double phaseSeconds) throws InterruptedException {
        long began = System.nanoTime();
        double last = activity();
        while (System.nanoTime() - began < 30_000_000_000L) {
            Thread.sleep(1000);
            double now = activity();
            if (now - last <= 10) {  // what an idle stack does in a second: Debezium's and the pools' checks
                break;
            }
            last = now;
        }
        return System.nanoTime() - began;
    }

    private double activity() {
        Double statements = DatabaseCounters.totalCalls(
                DatabaseCounters.delta(databaseBefore, database.snapshot()));
        double records = kafka.snapshot().entrySet().stream().filter(e -> !e.getKey().startsWith("__"))
                .mapToDouble(Map.Entry::getValue).sum();
        return (statements == null ? 0 : statements) + records;
    }

    /** The per-create table with the targets, then where the counts come from. */
    static String report(Result r) {
        long n = r.creates();
        StringBuilder text = new StringBuilder();
        text.append("Per create (").append(n).append(" creates; counted ").append(r.window()).append("):\n\n");
        text.append("| per create | measured | target |\n|---|---|---|\n");
        text.append(String.format("| SQL statements (pg_stat_statements calls in %s) | %s%s | <= %.0f |%n",
                String.join(" + ", DatabaseCounters.SERVICE_DATABASES), Deltas.perCreate(r.statements(), n),
                r.statements() == null ? "" : " (of which " + Deltas.perCreate(r.transactionControl(), n)
                        + " BEGIN/COMMIT/ROLLBACK/SAVEPOINT)", TARGET_STATEMENTS));
        text.append(String.format("| WAL flushes (pg_stat_wal wal_sync; whole server) | %s (wal_write %s) | <= %.1f |%n",
                Deltas.perCreate(r.walSync(), n), Deltas.perCreate(r.walWrite(), n), TARGET_WAL_FLUSHES));
        text.append(String.format("| WAL records / bytes | %s / %s | |%n", Deltas.perCreate(r.walRecords(), n),
                r.walBytes() == null || n == 0 ? "n/a" : String.format("%.0f", r.walBytes() / n)));
        text.append(String.format("| Kafka records produced (end offsets, all topics) | %s | |%n",
                Deltas.perCreate(r.kafkaRecords(), n)));
        text.append(String.format("| internal HTTP calls (membership-service, group-sync-service, audit-service) | %s "
                + "| %.0f |%n", Deltas.perCreate(r.internalHttp(), n), TARGET_INTERNAL_HTTP));
        text.append(String.format("| requests the gateway served (the benchmark's: lookup + create) | %s | |%n",
                Deltas.perCreate(r.gatewayHttp(), n)));
        text.append('\n');
        if (r.statements() == null) {
            text.append("SQL statements: n/a (pg_stat_statements is not available on this server)\n\n");
        } else {
            text.append("Statements per create by database: ");
            text.append(String.join(", ", r.statementsByDatabase().entrySet().stream()
                    .map(e -> e.getKey() + " " + Deltas.perCreate(e.getValue(), n)).toList())).append('\n');
            if (r.deallocations() > 0) {
                text.append("**pg_stat_statements evicted ").append(r.deallocations())
                        .append(" entries during the phase: the statement count is low** (raise pg_stat_statements.max)\n");
            }
            text.append("\n| statements, most calls first | database | per create |\n|---|---|---|\n");
            for (DatabaseCounters.StatementCalls s : r.topStatements()) {
                text.append("| `").append(shorten(s.query())).append("` | ").append(s.database()).append(" | ")
                        .append(Deltas.perCreate(s.calls(), n)).append(" |\n");
            }
            text.append('\n');
        }
        if (r.kafkaByTopic() != null) {
            text.append("Kafka records per create by topic: ");
            text.append(String.join(", ", r.kafkaByTopic().entrySet().stream().filter(e -> e.getValue() > 0)
                    .map(e -> e.getKey() + " " + Deltas.perCreate(e.getValue(), n)).toList())).append("\n\n");
        }
        if (r.internalHttp() != null && !r.internalHttpByRoute().isEmpty()) {
            text.append("Internal HTTP calls per create by route: ");
            text.append(String.join(", ", r.internalHttpByRoute().entrySet().stream()
                    .map(e -> e.getKey() + " " + Deltas.perCreate(e.getValue(), n)).toList())).append("\n\n");
        }
        if (r.commandLoop() != null) {
            text.append(r.commandLoop()).append('\n');
        }
        text.append("CPU (same window):\n\n").append(r.cpu()).append('\n');
        return text.toString();
    }

    static String shorten(String query) {
        String flat = query.replaceAll("\\s+", " ").strip().replace("|", "\\|").replace("`", "'");
        return flat.length() > 110 ? flat.substring(0, 107) + "..." : flat;
    }
}
