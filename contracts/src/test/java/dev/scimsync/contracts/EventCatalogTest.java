package dev.scimsync.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** docs/events/asyncapi.yaml describes every event type the services can publish, on the right topic. */
class EventCatalogTest {

    private static final Path CATALOG = Path.of("..", "docs", "events", "asyncapi.yaml");

    @Test
    void everyEventTypeIsInTheCatalogOnItsTopic() throws Exception {
        JsonNode catalog = new ObjectMapper(new YAMLFactory()).readTree(CATALOG.toFile());

        assertEquals(new TreeSet<>(EventTypes.MEMBERSHIP), messageNames(catalog, Topics.MEMBERSHIP_EVENTS));
        assertEquals(new TreeSet<>(EventTypes.TEAM_EVENTS), messageNames(catalog, Topics.TEAM_EVENTS));
        assertEquals(new TreeSet<>(EventTypes.SCIM_CREDENTIALS), messageNames(catalog, Topics.SCIM_CREDENTIALS));
        assertEquals(new TreeSet<>(EventTypes.MEMBERSHIP_STATE), messageNames(catalog, Topics.MEMBERSHIP_STATE));
        assertEquals(new TreeSet<>(EventTypes.GROUP_PLACEMENTS), messageNames(catalog, Topics.GROUP_PLACEMENTS));
    }

    /** The names of the messages of the channel at this address, following their $refs. */
    private static Set<String> messageNames(JsonNode catalog, String address) {
        Set<String> names = new TreeSet<>();
        catalog.path("channels").forEach(channel -> {
            if (channel.path("address").asText().equals(address)) {
                channel.path("messages").forEach(message -> {
                    String ref = message.path("$ref").asText();
                    JsonNode target = catalog.at(ref.substring(1));
                    names.add(target.path("name").asText());
                });
            }
        });
        return names;
    }
}
