package dev.scimsync.gateway.auth;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scimsync.gateway.api.GatewayTestInfrastructure;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The per-connection rate limit through the gateway: a connection over it gets SCIM 429s with Retry-After,
 * while another connection sending at the same time is never limited, and most of the flood is refused before
 * its token is checked, and each refusal is held for the refusal delay (so a client that ignores Retry-After
 * slows down). (Whether the noisy tenant raises the quiet one's latency is measured by the benchmark, bench/,
 * not timed here.)
 */
@QuarkusTest
@TestProfile(RateLimitTest.LowLimit.class)
@QuarkusTestResource(value = GatewayTestInfrastructure.class, restrictToAnnotatedClass = true)
class RateLimitTest {

    public static class LowLimit implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("scim.rate-limit.requests-per-second", "20", "scim.rate-limit.burst", "20",
                    "scim.rate-limit.refusal-delay", REFUSAL_DELAY_MILLIS + "ms");
        }
    }

    private static final long REFUSAL_DELAY_MILLIS = 200;

    @Inject
    MeterRegistry meters;

    private double tokenChecks() {
        return meters.find("scim.token.verifications").counters().stream().mapToDouble(Counter::count).sum();
    }

    private static Response list(String token) {
        return given().header("Authorization", "Bearer " + token).get("/scim/v2/Users?count=1");
    }

    @Test
    void aNoisyConnectionIsToldToWaitAndAQuietOneIsNotLimited() throws Exception {
        long started = System.nanoTime();
        double checksBefore = tokenChecks();
        ExecutorService noisy = Executors.newFixedThreadPool(6);
        List<Future<Response>> flood = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            flood.add(noisy.submit(() -> list(GatewayTestInfrastructure.OTHER_TOKEN)));
        }
        List<Integer> quiet = new ArrayList<>();
        for (int i = 0; i < 15; i++) {
            quiet.add(list(GatewayTestInfrastructure.TOKEN).statusCode());
            Thread.sleep(100);
        }
        noisy.shutdown();
        assertTrue(noisy.awaitTermination(60, TimeUnit.SECONDS));
        double seconds = (System.nanoTime() - started) / 1e9;

        int limited = 0;
        for (Future<Response> future : flood) {
            Response response = future.get();
            if (response.statusCode() == 429) {
                limited++;
                assertTrue(Integer.parseInt(response.header("Retry-After")) >= 1);
                assertTrue(response.contentType().startsWith("application/scim+json"));
                assertEquals("429", response.jsonPath().getString("status"));
                assertTrue(response.jsonPath().getString("detail").contains("other-sso"));
                assertTrue(response.time() >= REFUSAL_DELAY_MILLIS, "a refusal answered after " + response.time()
                        + " ms, before the refusal delay");
            } else {
                assertEquals(200, response.statusCode());
            }
        }
        int granted = flood.size() - limited;
        assertTrue(limited > 0, "the flood was limited");
        assertTrue(granted <= 20 + Math.ceil(20 * seconds) + 1,
                granted + " granted in " + seconds + " s: more than the burst plus 20/s");
        assertEquals(List.of(200), quiet.stream().distinct().toList(), "the quiet connection was never limited");
        // Every check of this run (the quiet connection's 15 included), from memory or not.
        double tokenChecks = tokenChecks() - checksBefore - quiet.size();
        assertTrue(tokenChecks < flood.size() && tokenChecks >= granted, tokenChecks + " token checks for "
                + flood.size() + " requests, " + granted + " granted: an over-limit connection is refused before "
                + "its token is checked");
    }
}
