package dev.scimsync.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/**
 * {@code stack start} runs the local stack in the foreground until Ctrl-C; {@code stack stop} (from another
 * terminal) asks a running one to stop; {@code stack status} says whether one runs.
 */
public final class StackCommand {

    private StackCommand() {
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(System.getProperty("stack.project-root", ".")).toAbsolutePath().normalize();
        StackSettings settings = StackSettings.fromEnvironment(root, System.getenv());
        String command = args.length == 0 ? "start" : args[0];
        int exit = switch (command) {
            case "start" -> start(settings);
            case "stop" -> stop(settings);
            case "status" -> status(settings);
            default -> {
                System.err.println("usage: stack [start|stop|status]");
                yield 2;
            }
        };
        System.exit(exit);
    }

    private static int start(StackSettings settings) throws Exception {
        Path data = Files.createDirectories(settings.dataDirectory());
        Path pidFile = data.resolve("stack.pid");
        Optional<ProcessHandle> running = runningStack(pidFile);
        if (running.isPresent()) {
            System.err.println("A stack already runs from " + data + " (pid " + running.get().pid()
                    + "); stop it with: deploy/local/stack stop");
            return 1;
        }
        Files.writeString(pidFile, Long.toString(ProcessHandle.current().pid()));
        long startedAt = System.nanoTime();

        LocalStack stack;
        try {
            stack = LocalStack.start(settings, line -> System.out.println("[stack] " + line));
        } catch (Exception e) {
            Files.deleteIfExists(pidFile);
            System.err.println("[stack] failed to start: " + e.getMessage());
            System.err.println("[stack] logs are in " + data.resolve("logs"));
            return 1;
        }

        CountDownLatch stopped = new CountDownLatch(1);
        java.util.concurrent.atomic.AtomicBoolean stopping = new java.util.concurrent.atomic.AtomicBoolean();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stopping.set(true);
            System.out.println("[stack] stopping ...");
            stack.close();
            try {
                Files.deleteIfExists(pidFile);
            } catch (IOException ignored) {
                // a stale pid file is detected as such on the next start
            }
            System.out.println("[stack] stopped");
            stopped.countDown();
        }, "stack-shutdown"));

        Path envFile = data.resolve("stack.env");
        LocalStack.Endpoints endpoints = stack.endpoints();
        Files.writeString(envFile, endpoints.asEnvLines());
        System.out.printf("[stack] ready in %.1f s; logs in %s%n", (System.nanoTime() - startedAt) / 1e9,
                data.resolve("logs"));
        System.out.println();
        System.out.print(endpoints.asEnvLines());
        System.out.println();
        System.out.println("Admin console: " + endpoints.adminBaseUrl().replace("/admin/v1", "/console")
                + " (sign in with ADMIN_TOKEN)");
        System.out.println("Written to " + envFile + " (use: set -a; . " + envFile + "; set +a)");
        System.out.println("Ctrl-C or 'deploy/local/stack stop' stops everything.");

        watchServices(stack, stopping);
        stopped.await();
        return 0;
    }

    /** Reports a service that dies while the stack runs, so a crash is not silent. */
    private static void watchServices(LocalStack stack, java.util.concurrent.atomic.AtomicBoolean stopping) {
        Thread watcher = new Thread(() -> {
            java.util.Set<String> reported = new java.util.HashSet<>();
            while (true) {
                for (ServiceProcess service : stack.services()) {
                    if (!service.isAlive() && !stopping.get() && reported.add(service.name())) {
                        System.err.println("[stack] " + service.name() + " has exited; see " + service.logFile());
                    }
                }
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "stack-watcher");
        watcher.setDaemon(true);
        watcher.start();
    }

    private static int stop(StackSettings settings) throws Exception {
        Optional<ProcessHandle> running = runningStack(settings.dataDirectory().resolve("stack.pid"));
        if (running.isEmpty()) {
            System.out.println("No stack runs from " + settings.dataDirectory());
            return 0;
        }
        ProcessHandle stack = running.get();
        System.out.println("Stopping the stack (pid " + stack.pid() + ") ...");
        stack.destroy();
        try {
            stack.onExit().get(Duration.ofSeconds(120).toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            System.err.println("The stack did not stop within 120 s; pid " + stack.pid());
            return 1;
        }
        System.out.println("Stopped.");
        return 0;
    }

    private static int status(StackSettings settings) throws IOException {
        Optional<ProcessHandle> running = runningStack(settings.dataDirectory().resolve("stack.pid"));
        if (running.isEmpty()) {
            System.out.println("not running");
            return 3;
        }
        System.out.println("running (pid " + running.get().pid() + ")");
        Path envFile = settings.dataDirectory().resolve("stack.env");
        if (Files.exists(envFile)) {
            System.out.print(Files.readString(envFile));
        }
        return 0;
    }

    /** The launcher recorded in the pid file, if that process still runs and is a Java launcher. */
    private static Optional<ProcessHandle> runningStack(Path pidFile) throws IOException {
        if (!Files.exists(pidFile)) {
            return Optional.empty();
        }
        try {
            long pid = Long.parseLong(Files.readString(pidFile).trim());
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                    .filter(p -> p.info().command().map(c -> c.endsWith("java")).orElse(false));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
