package dev.scimsync.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** docs/events/asyncapi.yaml is a valid AsyncAPI document, as the reference parser (npm) reads it. */
class EventCatalogIT {

    private static final String PARSER_VERSION = "3.6.6";

    @Test
    void theEventCatalogIsValidAsyncApi() throws Exception {
        Path prefix = Path.of("target", "asyncapi").toAbsolutePath();
        NpmPackages.install(prefix, "@asyncapi/parser@" + PARSER_VERSION,
                prefix.resolve("node_modules/@asyncapi/parser/package.json"));
        Path script = prefix.resolve("validate.cjs");
        try (InputStream in = getClass().getResourceAsStream("/asyncapi/validate.cjs")) {
            Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
        }
        Path catalog = Path.of("..", "docs", "events", "asyncapi.yaml").toAbsolutePath().normalize();
        Path output = prefix.resolve("validate.log");

        Process run = new ProcessBuilder("node", script.toString(), catalog.toString()).redirectErrorStream(true)
                .redirectOutput(output.toFile()).start();

        assertTrue(run.waitFor(2, TimeUnit.MINUTES), "the parser finished");
        String log = Files.readString(output);
        assertEquals(0, run.exitValue(), log);
        // membership.events (6 member, 4 guard), team.events (3), membership.state, group.placements,
        // scim.credentials, admin.actions, audit.chain-heads (1 each).
        assertTrue(log.contains("valid: 18 messages on 7 channels"), log);
    }
}
