package dev.scimsync.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The stack's processes (the four services, Kafka, PostgreSQL) and this load generator, with their resident
 * memory and CPU time read from /proc: sampled every second during a phase, reported as peak RSS and average
 * CPU (100% = one core), beside the whole machine's busy CPU (/proc/stat) so the shares can be added up.
 * PostgreSQL is the postmaster and all its descendants (backends, WAL writer, ...); the CPU of backends that
 * exited during the phase is in the postmaster's children's time, so it is counted too. Its share is also split by
 * what each process is (its title): each database's backends, the WAL senders (the services' outbox capture),
 * background work - so a cost in PostgreSQL can be traced to the service that pays for it. Each JVM's share is
 * also given for its JIT compiler threads: on a fresh stack they take ~40 % of the JVMs' CPU in the first two
 * minutes (docs/performance.md, "the JIT's share of a fresh stack"), which is what a cold run's lower rate is.
 * Each row also says how much of its CPU was spent in the kernel (system time): on this development machine a
 * system call costs ~1.2 us, ten times bare metal, and a create makes ~165 of them across the stack
 * (docs/performance.md, "where the system calls go"), so this share is part of what a create costs here.
 */
final class Processes {

    static final long CLOCK_TICKS = 100;  // USER_HZ on Linux
    static final String LOAD_GENERATOR = "load generator (this JVM)";

    private final Map<String, Supplier<List<Long>>> groups = new LinkedHashMap<>();
    private final Map<String, Long> postmasters = new LinkedHashMap<>();
    private final Map<String, Long> peakRssKb = new ConcurrentHashMap<>();
    private final Map<String, Cpu> ticksAtStart = new LinkedHashMap<>();
    private final Map<String, Cpu> compilerTicksAtStart = new LinkedHashMap<>();
    private final Map<Long, Cpu> postgresTicksAtStart = new LinkedHashMap<>();
    private Cpu machineBusyAtStart;
    private long startedAt;
    private volatile boolean sampling;
    private Thread sampler;
    private final String note;
    /** The last {@link #stop}'s CPU of all the listed processes, ms per counted operation. */
    private double listedMsPerCount;

    /**
     * @param stack      the stack's services and Kafka
     * @param postmaster PostgreSQL's postmaster pid, when it runs on this machine
     */
    Processes(StackProcesses stack, Optional<Long> postmaster) {
        this(stack.pids, postmaster, stack.exact ? "" : "Processes matched by command line only (the gateway of "
                + "SCIM_BASE_URL was not found): other stacks on this machine may be counted too.\n");
    }

    /**
     * @param named      processes by name (a name's pids are added up)
     * @param postmaster PostgreSQL's postmaster pid, when it runs on this machine
     */
    Processes(Map<String, List<Long>> named, Optional<Long> postmaster, String note) {
        named.forEach((name, pids) -> groups.put(name, () -> pids));
        if (postmaster.isPresent()) {
            long pid = postmaster.get();
            postmasters.put("postgresql", pid);
            groups.put("postgresql", () -> {
                List<Long> all = new ArrayList<>();
                all.add(pid);
                ProcessHandle.of(pid).ifPresent(p -> p.descendants().forEach(d -> all.add(d.pid())));
                return all;
            });
        }
        long self = ProcessHandle.current().pid();
        groups.put(LOAD_GENERATOR, () -> List.of(self));
        this.note = note + (postmaster.isPresent() ? "" : "PostgreSQL's processes not found on this machine: not counted.\n");
    }

    void start() {
        peakRssKb.clear();
        ticksAtStart.clear();
        compilerTicksAtStart.clear();
        groups.forEach((name, pids) -> {
            List<Long> now = pids.get();
            ticksAtStart.put(name, ticks(name, now));
            if (!postmasters.containsKey(name)) {
                compilerTicksAtStart.put(name, compilerTicks(now));
            }
        });
        postgresTicksAtStart.clear();
        postmasters.values().forEach(postmaster -> groups.get("postgresql").get().forEach(pid ->
                postgresTicksAtStart.put(pid, cpuTicks(pid, pid.equals(postmaster)))));
        machineBusyAtStart = machineTicks();
        startedAt = System.nanoTime();
        sampling = true;
        sampler = new Thread(() -> {
            for (long sample = 0; sampling; sample++) {
                // PostgreSQL's processes share its buffers: their proportional share (PSS) adds up, RSS would not.
                // Finding its processes (a scan of /proc) and their PSS (a walk of each one's page tables) cost this
                // JVM ~5% of a core when done every second, taken from the stack under test: every fifth second.
                boolean withPostgres = sample % 5 == 0;
                groups.forEach((name, pids) -> {
                    boolean postgres = postmasters.containsKey(name);
                    if (!postgres || withPostgres) {
                        peakRssKb.merge(name, pids.get().stream().mapToLong(pid -> postgres ? pssKb(pid) : rssKb(pid))
                                .sum(), Math::max);
                    }
                });
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "rss-sampler");
        sampler.setDaemon(true);
        sampler.start();
    }

    /**
     * {@code | process | peak RSS MB | CPU % | CPU ms per create |} rows for the phase since {@link #start()};
     * the last column only when {@code creates} > 0.
     */
    String stop(long creates) throws InterruptedException {
        return stop(creates, "create");
    }

    /** As {@link #stop(long)}, the last column per {@code count} of what {@code per} names (create, lookup). */
    String stop(long count, String per) throws InterruptedException {
        sampling = false;
        sampler.interrupt();
        sampler.join();
        double seconds = (System.nanoTime() - startedAt) / 1e9;
        Cpu machine = machineTicks();
        StringBuilder table = new StringBuilder("| process | peak RSS MB (PostgreSQL: PSS) | CPU % (100 = one core) | CPU ms per "
                + per + " | of it in the kernel |\n|---|---|---|---|---|\n");
        Cpu sum = Cpu.NONE;
        for (var group : groups.entrySet()) {
            List<Long> pids = group.getValue().get();
            Cpu ticks = ticks(group.getKey(), pids).since(ticksAtStart.getOrDefault(group.getKey(), Cpu.NONE));
            sum = sum.plus(ticks);
            table.append(row(group.getKey(), peakRssKb.getOrDefault(group.getKey(), 0L) / 1024.0, ticks, seconds, count));
            Long postmaster = postmasters.get(group.getKey());
            if (postmaster != null) {
                postgresTicksByKind(postmaster).forEach((kind, kindTicks) ->
                        table.append(row("of which " + kind, -1, kindTicks, seconds, count)));
            } else {
                Cpu compiling = compilerTicks(pids).since(compilerTicksAtStart.getOrDefault(group.getKey(), Cpu.NONE));
                table.append(row("of which JIT compiler threads (C1, C2)", -1, compiling, seconds, count));
            }
        }
        table.append(row("**all of the above**", -1, sum, seconds, count));
        listedMsPerCount = count > 0 ? 1000.0 * sum.total() / CLOCK_TICKS / count : 0;
        table.append(row("whole machine, busy (/proc/stat, " + Runtime.getRuntime().availableProcessors() + " cores)",
                -1, machine.since(machineBusyAtStart), seconds, count));
        return note + table;
    }

    /** CPU of all the listed processes per operation counted by the last {@link #stop(long, String)}, in ms. */
    double listedMsPerCount() {
        return listedMsPerCount;
    }

    private static String row(String name, double rssMb, Cpu ticks, double seconds, long count) {
        return String.format("| %s | %s | %.0f | %s | %s |%n", name, rssMb < 0 ? "" : String.format("%.0f", rssMb),
                100.0 * ticks.total() / CLOCK_TICKS / seconds,
                count > 0 ? String.format("%.2f", 1000.0 * ticks.total() / CLOCK_TICKS / count) : "",
                ticks.total() > 0 ? String.format("%.0f %%", 100.0 * ticks.system() / ticks.total()) : "");
    }

    /** CPU ticks, all of them and those spent in the kernel (system time). */
    record Cpu(long total, long system) {
        static final Cpu NONE = new Cpu(0, 0);

        Cpu plus(Cpu other) {
            return new Cpu(total + other.total, system + other.system);
        }

        Cpu minus(Cpu other) {
            return new Cpu(total - other.total, system - other.system);
        }

        /** The ticks since {@code earlier}, never below zero (a process gone takes its ticks with it). */
        Cpu since(Cpu earlier) {
            return minus(earlier).atLeastZero();
        }

        Cpu atLeastZero() {
            return new Cpu(Math.max(0, total), Math.max(0, system));
        }
    }

    /**
     * PostgreSQL's CPU since {@link #start()} by kind of process, largest first. A process gone since then is in
     * the postmaster's reaped children's time: its ticks from before the phase are taken off that row.
     */
    private Map<String, Cpu> postgresTicksByKind(long postmaster) {
        Map<String, Cpu> byKind = new LinkedHashMap<>();
        Map<Long, Cpu> gone = new LinkedHashMap<>(postgresTicksAtStart);
        for (long pid : groups.get("postgresql").get()) {
            boolean isPostmaster = pid == postmaster;
            Cpu ticks = cpuTicks(pid, isPostmaster).minus(Optional.ofNullable(gone.remove(pid)).orElse(Cpu.NONE));
            String kind = isPostmaster ? EXITED : read(Path.of("/proc", Long.toString(pid), "cmdline"))
                    .map(Processes::postgresKind).orElse(EXITED);
            byKind.merge(kind, ticks, Cpu::plus);
        }
        gone.values().forEach(ticks -> byKind.merge(EXITED, Cpu.NONE.minus(ticks), Cpu::plus));
        Map<String, Cpu> sorted = new LinkedHashMap<>();
        byKind.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue().total(), a.getValue().total()))
                .forEach(e -> sorted.put(e.getKey(), e.getValue().atLeastZero()));
        return sorted;
    }

    static final String EXITED = "postmaster, and processes that exited";

    /**
     * What a PostgreSQL process is, from its title ({@code postgres: USER DATABASE HOST(PORT) STATE} for a
     * backend, {@code postgres: walsender USER HOST(PORT) ...}, {@code postgres: checkpointer}, ...).
     */
    static String postgresKind(String cmdline) {
        String[] words = cmdline.replace('\0', ' ').trim().split("\\s+");
        if (words.length < 2 || !words[0].equals("postgres:")) {
            return "other";
        }
        if (words[1].equals("walsender")) {
            return "WAL senders (outbox capture)";
        }
        if (words.length >= 4 && (words[3].contains("(") || words[3].equals("[local]"))) {
            return "backends of database " + words[2];
        }
        return "background (checkpointer, WAL writer, autovacuum, ...)";
    }

    /** CPU ticks of a group; the postmaster's include its exited children's. */
    private Cpu ticks(String name, List<Long> pids) {
        Long postmaster = postmasters.get(name);
        return pids.stream().map(pid -> cpuTicks(pid, postmaster != null && pid.equals(postmaster)))
                .reduce(Cpu.NONE, Cpu::plus);
    }

    /**
     * CPU ticks of the JVMs' JIT compiler threads ({@code C1 CompilerThreadN}, {@code C2 CompilerThreadN}; the
     * kernel keeps 15 characters of a thread's name). A compiler thread the JVM retires takes its ticks with it, so
     * a phase's figure can only be too low, never too high.
     */
    private static Cpu compilerTicks(List<Long> pids) {
        Cpu ticks = Cpu.NONE;
        for (long pid : pids) {
            Path tasks = Path.of("/proc", Long.toString(pid), "task");
            try (var threads = Files.list(tasks)) {
                ticks = ticks.plus(threads.map(task -> read(task.resolve("stat")).map(Processes::compilerThreadTicks)
                        .orElse(Cpu.NONE)).reduce(Cpu.NONE, Cpu::plus));
            } catch (IOException | UncheckedIOException e) {
                // the process is gone: nothing to add
            }
        }
        return ticks;
    }

    /** CPU of a /proc/pid/task/tid/stat line when the thread is a JIT compiler thread, else none. */
    static Cpu compilerThreadTicks(String stat) {
        String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
        return name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre") ? parseCpuTicks(stat, false)
                : Cpu.NONE;
    }

    /** Busy jiffies of all CPUs from the first line of /proc/stat; in the kernel: system, irq and softirq. */
    static Cpu machineTicks() {
        return read(Path.of("/proc/stat")).map(Processes::parseMachineTicks).orElse(Cpu.NONE);
    }

    static Cpu parseMachineTicks(String procStat) {
        String[] fields = procStat.lines().findFirst().orElse("cpu").trim().split("\\s+");
        long busy = 0;
        long kernel = 0;
        for (int i = 1; i < fields.length && i <= 8; i++) {  // user nice system idle iowait irq softirq steal
            long value = Long.parseLong(fields[i]);
            if (i != 4 && i != 5) {
                busy += value;
            }
            if (i == 3 || i == 6 || i == 7) {
                kernel += value;
            }
        }
        return new Cpu(busy, kernel);
    }

    private static long pssKb(long pid) {
        return read(Path.of("/proc", Long.toString(pid), "smaps_rollup")).flatMap(rollup -> rollup.lines()
                .filter(line -> line.startsWith("Pss:")).findFirst()
                .map(line -> Long.parseLong(line.replaceAll("[^0-9]", "")))).orElse(0L);
    }

    private static long rssKb(long pid) {
        return read(Path.of("/proc", Long.toString(pid), "status")).flatMap(status -> status.lines()
                .filter(line -> line.startsWith("VmRSS:")).findFirst()
                .map(line -> Long.parseLong(line.replaceAll("[^0-9]", "")))).orElse(0L);
    }

    static Cpu cpuTicks(long pid, boolean withReapedChildren) {
        return read(Path.of("/proc", Long.toString(pid), "stat")).map(stat -> parseCpuTicks(stat, withReapedChildren))
                .orElse(Cpu.NONE);
    }

    /**
     * utime + stime (+ cutime + cstime), and of it stime (+ cstime), from a /proc/pid/stat line; the command may
     * hold spaces and ')'.
     */
    static Cpu parseCpuTicks(String stat, boolean withReapedChildren) {
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        long user = Long.parseLong(fields[11]);
        long system = Long.parseLong(fields[12]);
        if (withReapedChildren) {
            user += Long.parseLong(fields[13]);
            system += Long.parseLong(fields[14]);
        }
        return new Cpu(user + system, system);
    }

    private static Optional<String> read(Path path) {
        try {
            return Optional.of(Files.readString(path));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
