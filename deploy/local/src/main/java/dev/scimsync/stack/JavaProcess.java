package dev.scimsync.stack;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Starts and stops child JVMs: the Kafka broker (on this launcher's class path) and the services. */
final class JavaProcess {

    private JavaProcess() {
    }

    static Path javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }

    /** A JVM running {@code mainClass} with this launcher's own class path. */
    static ProcessBuilder builder(String mainClass, List<String> args, String... jvmOptions) {
        List<String> command = new ArrayList<>();
        command.add(javaExecutable().toString());
        command.addAll(List.of(jvmOptions));
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass);
        command.addAll(args);
        return new ProcessBuilder(command);
    }

    /** SIGTERM (a graceful shutdown), then SIGKILL if it has not ended in time. */
    static void stop(Process process, Duration grace) {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
