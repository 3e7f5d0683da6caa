package dev.scimsync.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class StackTest {

    @Test
    void theIdIsTheResourcesOwnNotOneOfItsParts() {
        String created = """
                {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"meta":{"id":"not-this","version":"W/\\"1\\""},
                 "groups":[{"id":"nor-this"}],"userName":"ada@acme.test","id":"2819c223-7f76-453a-919d-413861904646",
                 "active":true}""";

        assertEquals("2819c223-7f76-453a-919d-413861904646", Stack.id(new Stack.Answer(201, created)));
        assertEquals("", Stack.id(new Stack.Answer(201, "{\"meta\":{\"id\":\"x\"}}")));
        assertEquals("", Stack.id(new Stack.Answer(409, "[]")));
    }
}
