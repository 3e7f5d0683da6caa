package dev.scimsync.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The pure parts of the per-create counters: parsing what the stack exposes, and the deltas. */
class CountersTest {

    /** As Quarkus' Micrometer Prometheus registry writes it (label order, exponent values, a /q route). */
    static final String METRICS = """
            # HELP http_server_requests_seconds_max
            # TYPE http_server_requests_seconds_max gauge
            http_server_requests_seconds_max{method="GET",outcome="SUCCESS",status="200",uri="/internal/tokens/{id}"} 0.01
            # HELP http_server_requests_seconds
            # TYPE http_server_requests_seconds summary
            http_server_requests_seconds_count{method="GET",outcome="SUCCESS",status="200",uri="/internal/tokens/{id}"} 1.2E4
            http_server_requests_seconds_sum{method="GET",outcome="SUCCESS",status="200",uri="/internal/tokens/{id}"} 35.5
            http_server_requests_seconds_count{method="GET",outcome="CLIENT_ERROR",status="404",uri="/internal/tokens/{id}"} 3.0
            http_server_requests_seconds_count{method="GET",outcome="SUCCESS",status="200",uri="/internal/users"} 7.0
            http_server_requests_seconds_count{method="GET",outcome="SUCCESS",status="200",uri="/q/metrics"} 99.0
            http_server_requests_seconds_count_other{uri="/x"} 5.0
            kafka_consumer_records_consumed_total{client_id="a"} 10.0 1700000000000
            """;

    @Test
    void readsOneCountersSamplesByLabelSet() {
        Map<String, Double> samples = PrometheusText.samples(METRICS, "http_server_requests_seconds_count");
        assertEquals(4, samples.size());
        assertEquals(12_000.0, samples.get("method=\"GET\",outcome=\"SUCCESS\",status=\"200\",uri=\"/internal/tokens/{id}\""));
        assertEquals(10.0, PrometheusText.sum(METRICS, "kafka_consumer_records_consumed_total", labels -> true));
        assertEquals(12_003.0 + 7 + 99, PrometheusText.sum(METRICS, "http_server_requests_seconds_count", l -> true));
    }

    @Test
    void readsLabelsWithEscapesAndBracesInValues() {
        String labels = "method=\"GET\",uri=\"/a/{id}\",note=\"say \\\"hi\\\", ok\"";
        assertEquals("/a/{id}", PrometheusText.label(labels, "uri"));
        assertEquals("say \"hi\", ok", PrometheusText.label(labels, "note"));
        assertEquals("GET", PrometheusText.label(labels, "method"));
        assertNull(PrometheusText.label(labels, "status"));
        assertEquals(1.0, PrometheusText.samples("m{uri=\"/}\"} 1\n", "m").get("uri=\"/}\""));
        assertEquals(2.0, PrometheusText.samples("m 2\n", "m").get(""));
    }

    @Test
    void countsRequestsByRouteWithoutTheManagementRoutes() {
        Map<String, Double> routes = HttpCallCounters.requestsByRoute(METRICS);
        assertEquals(Map.of("GET /internal/tokens/{id}", 12_003.0, "GET /internal/users", 7.0), routes);
    }

    /** membership-service's command loop as its /q/metrics writes it, at two moments of a phase. */
    private static String commandLoop(double groups, double commands, double apply, double publish, double acknowledge) {
        return String.format(java.util.Locale.ROOT, """
                scim_command_batch_commands_count{resource="user"} %s
                scim_command_batch_commands_sum{resource="user"} %s
                scim_command_batch_commands_max{resource="user"} 40.0
                scim_command_batch_seconds_count{phase="apply",resource="user"} %s
                scim_command_batch_seconds_sum{phase="apply",resource="user"} %s
                scim_command_batch_seconds_sum{phase="publish",resource="user"} %s
                scim_command_batch_seconds_sum{phase="acknowledge",resource="user"} %s
                scim_command_batch_seconds_sum{phase="apply",resource="group"} 99.0
                """, groups, commands, groups, apply, publish, acknowledge);
    }

    @Test
    void describesTheCommandLoopOverAPhase() {
        CommandLoop.Snapshot before = CommandLoop.of(commandLoop(10, 50, 1.0, 0.5, 0.1));
        CommandLoop.Snapshot after = CommandLoop.of(commandLoop(110, 1_050, 2.2, 0.8, 0.15));

        String line = CommandLoop.describe(before, after, 2.0);

        assertEquals("membership-service's command loop (one group of polls at a time): 100 groups of 10.0 commands on"
                + " average; per group apply 12.00 ms, publish 3.00 ms, acknowledge 0.50 ms; busy 78 % of the"
                + " phase's 2.0 s" + System.lineSeparator(), line);
        assertNull(CommandLoop.of(METRICS), "a service without the loop's metrics");
        assertNull(CommandLoop.describe(before, before, 2.0), "no group applied in the phase");
        assertNull(CommandLoop.describe(before, null, 2.0), "the end not read");
        assertTrue(CommandLoop.describe(null, after, 2.0).contains(": 110 groups of 9.5 commands"),
                "a service that had applied nothing when the phase began");
    }

    @Test
    void deltasCountNewKeysFromZeroAndResetsFromTheirNewValue() {
        Map<String, Double> before = new LinkedHashMap<>(Map.of("a", 10.0, "b", 50.0, "gone", 3.0));
        Map<String, Double> after = new LinkedHashMap<>(Map.of("a", 25.0, "b", 4.0, "new", 2.0));
        Map<String, Double> delta = Deltas.of(before, after);
        assertEquals(15.0, delta.get("a"));
        assertEquals(4.0, delta.get("b"), "went down: the process restarted, all 4 are new");
        assertEquals(2.0, delta.get("new"));
        assertFalse(delta.containsKey("gone"));
        assertEquals(21.0, Deltas.total(delta));
        assertEquals("2.50", Deltas.perCreate(5.0, 2));
        assertEquals("n/a", Deltas.perCreate(null, 2));
        assertEquals("n/a", Deltas.perCreate(5.0, 0));
    }

    @Test
    void statementDeltasLeaveOutWhatDidNotMoveAndAreNullWithoutTheExtension() {
        var before = new DatabaseCounters.Snapshot(Map.of(
                "k1", new DatabaseCounters.StatementCalls("membership", "insert into account ...", 100),
                "k2", new DatabaseCounters.StatementCalls("audit", "select 1", 7)), 0, Map.of("wal_sync", 10.0));
        var after = new DatabaseCounters.Snapshot(Map.of(
                "k1", new DatabaseCounters.StatementCalls("membership", "insert into account ...", 130),
                "k2", new DatabaseCounters.StatementCalls("audit", "select 1", 7),
                "k3", new DatabaseCounters.StatementCalls("audit", "COMMIT", 30)), 0, Map.of("wal_sync", 12.0));
        var delta = DatabaseCounters.delta(before, after);
        assertEquals(2, delta.size());
        assertEquals(60.0, DatabaseCounters.totalCalls(delta));
        assertNull(DatabaseCounters.delta(new DatabaseCounters.Snapshot(null, 0, Map.of()), after));
        assertNull(DatabaseCounters.totalCalls(null));
    }

    @Test
    void recognizesTheBenchmarksOwnStatementsAndTransactionControl() {
        assertTrue(DatabaseCounters.isBenchmarks("insert into bench_ceiling (id) values ($1)"));
        assertTrue(DatabaseCounters.isBenchmarks("select d.datname from PG_STAT_STATEMENTS s"));
        assertFalse(DatabaseCounters.isBenchmarks("insert into account (id) values ($1)"));
        assertTrue(DatabaseCounters.isTransactionControl("BEGIN"));
        assertTrue(DatabaseCounters.isTransactionControl(" commit"));
        assertTrue(DatabaseCounters.isTransactionControl("SAVEPOINT s1"));
        assertFalse(DatabaseCounters.isTransactionControl("select 1"));
    }

    @Test
    void readsCpuTimeAndItsKernelPartFromProcStatEvenWhenTheCommandHasSpacesAndParentheses() {
        // pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime cutime cstime ...
        String stat = "4242 (postgres: a (b) c) S 1 4242 4242 0 -1 4194560 100 0 0 0 250 50 1000 200 20 0 1 0 5 0 0";
        assertEquals(new Processes.Cpu(300, 50), Processes.parseCpuTicks(stat, false));
        assertEquals(new Processes.Cpu(1500, 250), Processes.parseCpuTicks(stat, true));
    }

    @Test
    void aPhasesTicksAreTheDifferenceAndNeverNegative() {
        Processes.Cpu earlier = new Processes.Cpu(1000, 200);
        assertEquals(new Processes.Cpu(500, 100), new Processes.Cpu(1500, 300).since(earlier));
        // a process that exited took its ticks with it
        assertEquals(Processes.Cpu.NONE, Processes.Cpu.NONE.since(earlier));
        assertEquals(new Processes.Cpu(1700, 350), earlier.plus(new Processes.Cpu(700, 150)));
        // an exited backend's ticks from before the phase are taken off the postmaster's row, which may go below
        // zero on the way and is floored only once every process is in
        assertEquals(new Processes.Cpu(-1000, -200), Processes.Cpu.NONE.minus(earlier));
        assertEquals(Processes.Cpu.NONE, new Processes.Cpu(-1000, -200).atLeastZero());
    }

    @Test
    void countsOnlyTheJvmsCompilerThreads() {
        String tail = " S 1 4242 4242 0 -1 4194560 100 0 0 0 250 50 1000 200 20 0 1 0 5 0 0";
        assertEquals(300, Processes.compilerThreadTicks("4250 (C2 CompilerThre)" + tail).total());
        assertEquals(300, Processes.compilerThreadTicks("4251 (C1 CompilerThre)" + tail).total());
        assertEquals(0, Processes.compilerThreadTicks("4252 (VM Thread)" + tail).total());
        assertEquals(0, Processes.compilerThreadTicks("4253 (vert.x-eventloo)" + tail).total());
        assertEquals(0, Processes.compilerThreadTicks("4254 (a (C2 CompilerThre) b)" + tail).total());
    }

    @Test
    void tellsPostgresProcessesApartByTheirTitles() {
        // /proc/PID/cmdline of PostgreSQL's processes: the title it sets, NUL-padded
        assertEquals("backends of database membership",
                Processes.postgresKind("postgres: postgres membership 127.0.0.1(32846) idle\0\0"));
        assertEquals("backends of database audit",
                Processes.postgresKind("postgres: audit_runtime audit 127.0.0.1(32856) INSERT"));
        assertEquals("backends of database groupsync", Processes.postgresKind("postgres: app groupsync [local] idle"));
        assertEquals("WAL senders (outbox capture)",
                Processes.postgresKind("postgres: walsender postgres 127.0.0.1(32944) START_REPLICATION"));
        String background = "background (checkpointer, WAL writer, autovacuum, ...)";
        assertEquals(background, Processes.postgresKind("postgres: checkpointer "));
        assertEquals(background, Processes.postgresKind("postgres: background writer"));
        assertEquals(background, Processes.postgresKind("postgres: autovacuum worker membership"));
        assertEquals("other", Processes.postgresKind("/usr/lib/postgresql/bin/postgres\0-D\0/data"));
    }

    @Test
    void readsTheMachinesBusyTicksAndTheKernelsPartOfThem() {
        String procStat = "cpu  100 5 50 800 40 1 4 0 0 0\ncpu0 50 2 25 400 20 0 2 0 0 0\n";
        // busy = user + nice + system + irq + softirq + steal; idle and iowait are not. Kernel = system + irq + softirq.
        assertEquals(new Processes.Cpu(160, 55), Processes.parseMachineTicks(procStat));
    }

    @Test
    void readsAProcessEnvironment() {
        byte[] environ = "QUARKUS_HTTP_PORT=18081\0SCIM_RATE_LIMIT_RPS=5000\0EMPTY=\0A=b=c\0".getBytes(StandardCharsets.UTF_8);
        Map<String, String> env = StackProcesses.parseEnviron(environ);
        assertEquals("18081", env.get("QUARKUS_HTTP_PORT"));
        assertEquals("", env.get("EMPTY"));
        assertEquals("b=c", env.get("A"));
    }

    @Test
    void readsAWholeCommandLineBeyondWhatTheJdkReports() {
        String classPath = "/work/tmp/worktree/deploy/local/target/lib/kafka.jar:".repeat(120);
        byte[] cmdline = ("java\0-Xmx512m\0-cp\0" + classPath + "\0kafka.Kafka\0/data/kafka/server.properties\0")
                .getBytes(StandardCharsets.UTF_8);
        String commandLine = StackProcesses.parseCmdline(cmdline);
        assertTrue(commandLine.length() > 4096, "longer than the JDK's ProcessHandle reports");
        assertTrue(commandLine.contains(" kafka.Kafka /data/kafka/server.properties"), commandLine);
        assertTrue(commandLine.startsWith("java -Xmx512m -cp /work/tmp/worktree"), commandLine);
    }

    @Test
    void readsTheCommandLineOfThisProcess() {
        String own = StackProcesses.commandLine(ProcessHandle.current());
        assertTrue(own.contains("java"), own);
    }

    @Test
    void readsTheRateLimitAsMicroProfileConfigWould() {
        RateLimitSetting defaults = RateLimitSetting.from(Map.of(), "java -jar quarkus-run.jar");
        assertTrue(defaults.enabled());
        assertEquals(100, defaults.requestsPerSecond());
        assertEquals(200, defaults.burst());
        assertFalse(defaults.allows(2000, 20), "100/s x 20 connections is 2,000 requests/s: not 2 x 2,000");
        assertTrue(defaults.allows(1000, 20));

        RateLimitSetting raised = RateLimitSetting.from(Map.of("SCIM_RATE_LIMIT_RPS", "5000", "SCIM_RATE_LIMIT_BURST",
                "10000"), "");
        assertEquals(5000, raised.requestsPerSecond());
        assertEquals(10000, raised.burst());
        assertTrue(raised.allows(2000, 1));
        assertTrue(raised.describe().contains("5000 requests/s per connection, burst 10000"), raised.describe());

        RateLimitSetting ownName = RateLimitSetting.from(Map.of("SCIM_RATE_LIMIT_RPS", "5000",
                "SCIM_RATE_LIMIT_REQUESTS_PER_SECOND", "7"), "");
        assertEquals(7, ownName.requestsPerSecond(), "the property's own environment name wins over the indirection");
        RateLimitSetting property = RateLimitSetting.from(Map.of("SCIM_RATE_LIMIT_RPS", "5000"),
                "java -Dscim.rate-limit.requests-per-second=9 -jar x");
        assertEquals(9, property.requestsPerSecond());

        RateLimitSetting unknown = RateLimitSetting.unknown();
        assertFalse(unknown.allows(1, 100), "what cannot be read cannot be trusted to leave room");
        assertTrue(unknown.describe().startsWith("unknown"));

        RateLimitSetting off = RateLimitSetting.from(Map.of("SCIM_RATE_LIMIT_ENABLED", "false"), "");
        assertFalse(off.enabled());
        assertTrue(off.allows(1_000_000, 1));
        assertTrue(off.describe().startsWith("off"));
    }

    @Test
    void putsEachLookupInTheWindowItWasDueIn() {
        WindowedLatencies latencies = new WindowedLatencies("lookups", 10_000_000_000L);
        latencies.record(0, 1_000, 200);
        latencies.record(9_999_999_999L, 2_000, 200);
        latencies.record(10_000_000_000L, 500_000, 200);
        latencies.record(35_000_000_000L, 3_000, 503);
        assertEquals(4, latencies.windows().size());
        assertEquals(2, latencies.windows().get(0).histogram().getTotalCount());
        assertEquals(1, latencies.windows().get(1).histogram().getTotalCount());
        assertEquals(0, latencies.windows().get(2).histogram().getTotalCount());
        assertEquals(1, latencies.windows().get(3).count(503));
        assertEquals(4, latencies.all().histogram().getTotalCount());
        assertTrue(latencies.windows().get(1).row().startsWith("| lookups, 10-20 s |"));
        assertEquals(500.0, latencies.worstWindowP99Millis(), 1.0);
    }
}
