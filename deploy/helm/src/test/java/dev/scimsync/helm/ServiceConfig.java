package dev.scimsync.helm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A service module's configuration files as its jar reads them, lowest ordinal first: service-defaults'
 * {@code META-INF/microprofile-config.properties}, the service-defaults files its {@code quarkus.config.locations}
 * names, then its own {@code application.properties}.
 */
final class ServiceConfig {

    static final Path PROJECT = RenderedChart.CHART.resolve("../../..").normalize();
    private static final Path SHARED = PROJECT.resolve("service-defaults/src/main/resources");
    /** A value that is only an environment variable, with no default: unset, the service refuses to start. */
    private static final Pattern REQUIRED_VARIABLE = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)}");

    private final List<Properties> files;

    private ServiceConfig(List<Properties> files) {
        this.files = files;
    }

    static ServiceConfig of(String module) {
        Properties own = load(PROJECT.resolve(module).resolve("src/main/resources/application.properties"));
        List<Properties> files = new ArrayList<>();
        files.add(load(SHARED.resolve("META-INF/microprofile-config.properties")));
        String locations = own.getProperty("quarkus.config.locations", "");
        for (String location : locations.split(",")) {
            if (!location.isBlank()) {
                files.add(load(SHARED.resolve(location.trim())));
            }
        }
        files.add(own);
        return new ServiceConfig(files);
    }

    /** Every property as written (profiles included), a later file's line replacing an earlier one's. */
    Properties merged() {
        Properties merged = new Properties();
        files.forEach(merged::putAll);
        return merged;
    }

    /**
     * The value {@code name} has in production before expansion: of the files from highest ordinal down, the first
     * that sets it, its {@code %prod} line before its plain one (SmallRye Config's profile rule).
     */
    Optional<String> productionValue(String name) {
        String value = null;
        for (Properties file : files) {
            String inFile = null;
            for (String key : file.stringPropertyNames()) {
                if (key.startsWith("%") && key.endsWith("." + name)) {
                    String profiles = key.substring(1, key.length() - name.length() - 1);
                    if (Arrays.asList(profiles.split(",")).contains("prod")) {
                        inFile = file.getProperty(key);
                    }
                }
            }
            if (inFile == null) {
                inFile = file.getProperty(name);
            }
            if (inFile != null) {
                value = inFile;
            }
        }
        return Optional.ofNullable(value);
    }

    /** The environment variables without which the service refuses to start in production. */
    Set<String> requiredInProduction() {
        Set<String> names = new TreeSet<>();
        for (Properties file : files) {
            for (String key : file.stringPropertyNames()) {
                String name = key.startsWith("%") ? key.substring(key.indexOf('.') + 1) : key;
                productionValue(name).map(REQUIRED_VARIABLE::matcher).filter(Matcher::matches)
                        .ifPresent(required -> names.add(required.group(1)));
            }
        }
        return names;
    }

    private static Properties load(Path file) {
        Properties properties = new Properties();
        try (var in = Files.newBufferedReader(file)) {
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties;
    }
}
