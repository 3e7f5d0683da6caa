package dev.scimsync.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The services' Prometheus endpoints ({@code /q/metrics}), each read once per snapshot, and from them the HTTP
 * requests each service served ({@code http_server_requests_seconds_count}) by method and route. Requests to
 * {@code /q/...} (metrics, health) are left out: they are the benchmark's and the launcher's, not the system's.
 */
final class HttpCallCounters {

    static final String METRIC = "http_server_requests_seconds_count";

    private final Map<String, Integer> ports;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** @param ports service name to the port its /q/metrics answers on */
    HttpCallCounters(Map<String, Integer> ports) {
        this.ports = ports;
    }

    /** Service to its {@code /q/metrics} text; a service that did not answer is missing. */
    Map<String, String> snapshot() {
        Map<String, String> texts = new LinkedHashMap<>();
        ports.forEach((service, port) -> {
            try {
                HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(
                        URI.create("http://localhost:" + port + "/q/metrics")).timeout(Duration.ofSeconds(10)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (metrics.statusCode() == 200) {
                    texts.put(service, metrics.body());
                } else {
                    System.err.println("[bench] " + service + " /q/metrics answered " + metrics.statusCode());
                }
            } catch (Exception e) {
                System.err.println("[bench] " + service + " /q/metrics on port " + port + ": " + e);
            }
        });
        return texts;
    }

    /** Service to ("METHOD uri" to requests served), from a {@link #snapshot}. */
    static Map<String, Map<String, Double>> requestsByService(Map<String, String> texts) {
        Map<String, Map<String, Double>> counts = new LinkedHashMap<>();
        texts.forEach((service, text) -> counts.put(service, requestsByRoute(text)));
        return counts;
    }

    /** "METHOD uri" to requests, summed over statuses and outcomes, without {@code /q/} routes. */
    static Map<String, Double> requestsByRoute(String prometheusText) {
        Map<String, Double> routes = new LinkedHashMap<>();
        PrometheusText.samples(prometheusText, METRIC).forEach((labels, count) -> {
            String uri = PrometheusText.label(labels, "uri");
            if (uri != null && (uri.startsWith("/q/") || uri.equals("/q"))) {
                return;
            }
            String method = PrometheusText.label(labels, "method");
            routes.merge((method == null ? "?" : method) + " " + (uri == null ? "?" : uri), count, Double::sum);
        });
        return routes;
    }
}
