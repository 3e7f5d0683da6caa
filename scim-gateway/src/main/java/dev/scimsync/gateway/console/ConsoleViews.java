package dev.scimsync.gateway.console;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * Reads the admin API's answers into the console's view records ({@code console.view}): only the fields a page
 * shows; fields the services add are ignored, so a service can answer more without breaking a page. An answer that
 * does not fit its record is {@link UnreadableAnswer}, shown as a problem page ({@link Pages}).
 */
@ApplicationScoped
public class ConsoleViews {

    private final ObjectMapper json;

    public ConsoleViews(ObjectMapper json) {
        this.json = json.copy().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }

    /** The answer's body as one view; null when the answer has no body. */
    public <T> T read(AdminApi.Reply reply, Class<T> view) {
        if (reply.body() == null) {
            return null;
        }
        try {
            return json.convertValue(reply.body(), view);
        } catch (IllegalArgumentException e) {
            throw new UnreadableAnswer(view.getSimpleName(), e);
        }
    }

    /**
     * The answer's body as a list of views; empty when the answer is not a list (none, or a refusal): a page shows
     * the lists it could read next to the one it is about.
     */
    public <T> List<T> list(AdminApi.Reply reply, Class<T> view) {
        if (!(reply.body() instanceof List)) {
            return List.of();
        }
        try {
            return json.convertValue(reply.body(), json.getTypeFactory().constructCollectionType(List.class, view));
        } catch (IllegalArgumentException e) {
            throw new UnreadableAnswer("a list of " + view.getSimpleName(), e);
        }
    }

    /** The admin API answered something a page cannot read: a service and the gateway disagree on a field. */
    public static final class UnreadableAnswer extends RuntimeException {

        UnreadableAnswer(String view, IllegalArgumentException cause) {
            super("the admin API's answer is not readable as " + view + ": " + cause.getMessage(), cause);
        }
    }
}
