package dev.scimsync.contracts.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.scimsync.contracts.ContractJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The internal API bodies on the wire, field by field: the server and its callers share these records, and the
 * JSON names are what a service of the previous release (during a rolling deploy) still sends and expects.
 */
class InternalApiJsonTest {

    static Stream<Arguments> bodies() {
        return Stream.of(
                Arguments.of(new ConnectionSummary("c-1", "acme-sso", true, List.of("acme", "globex")),
                        "{\"id\":\"c-1\",\"name\":\"acme-sso\",\"scimEnabled\":true,"
                                + "\"organizations\":[\"acme\",\"globex\"]}"),
                Arguments.of(new UserLookup(List.of("u-1", "u-2")), "{\"ids\":[\"u-1\",\"u-2\"]}"),
                Arguments.of(new KnownUser("u-1", "ada@example.com", false, 3),
                        "{\"id\":\"u-1\",\"userName\":\"ada@example.com\",\"active\":false,\"version\":3}"),
                Arguments.of(new ProvisioningErrorReport("cmd-1", "req-1", "create", "Engineering", "mapping",
                                "no organization", "link one"),
                        "{\"commandId\":\"cmd-1\",\"requestId\":\"req-1\",\"operation\":\"create\","
                                + "\"subject\":\"Engineering\",\"reason\":\"mapping\",\"detail\":\"no organization\","
                                + "\"suggestedFix\":\"link one\"}"),
                Arguments.of(new DirectTeam("ops", List.of(new DirectTeam.Member("u-1", "ada", "sign-in"))),
                        "{\"name\":\"ops\",\"members\":[{\"id\":\"u-1\",\"userName\":\"ada\","
                                + "\"source\":\"sign-in\"}]}"),
                Arguments.of(new ScimTokenVerification("scim_0a1b_secret"), "{\"token\":\"scim_0a1b_secret\"}"),
                Arguments.of(new VerifiedScimToken("0a1b", "c-1", "acme-sso", true),
                        "{\"tokenId\":\"0a1b\",\"connectionId\":\"c-1\",\"connectionName\":\"acme-sso\","
                                + "\"scimEnabled\":true}"),
                Arguments.of(new ScimTokenUse(List.of("0a1b")), "{\"tokenIds\":[\"0a1b\"]}"),
                Arguments.of(new UserIds(List.of("u-1")), "{\"userIds\":[\"u-1\"]}"),
                Arguments.of(new Problem(404, "connection acme-sso not found"),
                        "{\"status\":404,\"detail\":\"connection acme-sso not found\"}"));
    }

    @ParameterizedTest
    @MethodSource("bodies")
    void aBodyIsWrittenWithItsWireNamesAndReadBack(Object body, String wire) throws IOException {
        JsonNode written = ContractJson.mapper().readTree(ContractJson.write(body));

        assertEquals(ContractJson.mapper().readTree(wire), written);
        assertEquals(body, ContractJson.read(wire.getBytes(StandardCharsets.UTF_8), body.getClass()));
    }
}
