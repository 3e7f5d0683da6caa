package dev.scimsync.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/** npm packages the tests run (newman, the AsyncAPI parser), installed once under target/; no npm: skipped. */
final class NpmPackages {

    private NpmPackages() {
    }

    /**
     * Installs {@code packageSpec} (name@version) into {@code prefix} unless {@code installed} already exists;
     * returns {@code installed}.
     */
    static Path install(Path prefix, String packageSpec, Path installed) throws IOException, InterruptedException {
        if (Files.exists(installed)) {
            return installed;
        }
        Files.createDirectories(prefix);
        Path log = prefix.resolve("npm.log");
        Process install;
        try {
            install = new ProcessBuilder("npm", "install", "--no-audit", "--no-fund", "--prefix", prefix.toString(),
                    packageSpec).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        } catch (IOException noNpm) {
            Assumptions.abort("npm is not installed, so " + packageSpec + " cannot run: " + noNpm.getMessage());
            throw noNpm;
        }
        assertTrue(install.waitFor(5, TimeUnit.MINUTES) && install.exitValue() == 0,
                "npm install " + packageSpec + " failed; see " + log);
        return installed;
    }
}
