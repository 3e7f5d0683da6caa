package dev.scimsync.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.scimsync.contracts.kafka.CommandOutcomeDeserializer;
import dev.scimsync.contracts.kafka.ContractSerializer;
import dev.scimsync.contracts.kafka.UserCommandDeserializer;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ContractJsonTest {

    private static UserProfile profile() {
        ObjectNode attributes = ContractJson.mapper().createObjectNode();
        attributes.putObject("name").put("givenName", "Ada").put("familyName", "Lovelace");
        return new UserProfile("ada@example.com", "ext-1", true, attributes);
    }

    @Test
    void userCommandSurvivesTheWire() {
        UserCommand command = UserCommand.create("conn-1", profile(), new CommandOrigin("tok", "req", "127.0.0.1", "Okta"));
        byte[] wire = new ContractSerializer().serialize("t", command);

        UserCommand read = new UserCommandDeserializer().deserialize("t", wire);

        assertEquals(command, read);
        assertEquals("Lovelace", read.profile().attributes().path("name").path("familyName").asText());
    }

    @Test
    void aReplaceKeepingTheStateItReadSaysSoAndAnOlderProducersCommandIsTheIdpsOwnStatement() {
        UserCommand keeping = UserCommand.replaceKeepingState("conn-1", "u-1", profile(), 3L, null);
        UserCommand read = new UserCommandDeserializer().deserialize("t", new ContractSerializer().serialize("t",
                keeping));
        assertEquals(keeping, read);
        assertTrue(read.activeAsRead());

        String json = new String(ContractJson.write(UserCommand.replace("conn-1", "u-1", profile(), 3L, null)),
                StandardCharsets.UTF_8);
        String older = json.replace(",\"activeAsRead\":false", "");
        assertTrue(older.length() < json.length(), json);
        assertEquals(false, new UserCommandDeserializer().deserialize("t", older.getBytes(StandardCharsets.UTF_8))
                .activeAsRead());
        assertThrows(IllegalArgumentException.class, () -> new UserCommand(java.util.UUID.randomUUID(),
                UserCommandType.DELETE, "c", "u-1", null, null, null, Instant.now(), true, null));
    }

    @Test
    void aDeactivationAloneCarriesTheRefusalAndNoOtherCommandDoes() {
        CommandFailure refused = new CommandFailure(CommandFailure.Reason.INVALID_VALUE, "'title' is 5000 characters long");
        UserCommand alone = UserCommand.deactivationAlone("conn-1", "u-1", profile(), 4L, null, refused);

        UserCommand read = new UserCommandDeserializer().deserialize("t", ContractJson.write(alone));

        assertEquals(alone, read);
        assertEquals(false, read.profile().active());
        UserCommand approved = read.reissued();
        assertTrue(!approved.commandId().equals(alone.commandId()) && approved.expectedVersion() == null);
        assertEquals(refused, approved.refusedAlongside(), "an approval keeps the refusal");
        String replace = new String(ContractJson.write(UserCommand.replace("conn-1", "u-1", profile(), 3L, null)),
                StandardCharsets.UTF_8);
        assertTrue(!replace.contains("refusedAlongside"), replace);
        assertThrows(IllegalArgumentException.class, () -> new UserCommand(java.util.UUID.randomUUID(),
                UserCommandType.REPLACE, "c", "u-1", profile(), null, null, Instant.now(), false, refused));
    }

    @Test
    void adminActionSurvivesTheWireAndNamesItsChain() {
        AdminAction action = new AdminAction(java.util.UUID.randomUUID(), Instant.parse("2026-11-30T10:00:00Z"),
                "admin.scim-token.revoke", "operator", "api", "DELETE", "connections/acme-sso/scim-tokens/0a1b2c3d4e5f",
                null, null, "acme-sso", "conn-1", null, 204, "req-1", "192.0.2.1", "curl/8");
        byte[] wire = new ContractSerializer().serialize("t", action);

        AdminAction read = new dev.scimsync.contracts.kafka.AdminActionDeserializer().deserialize("t", wire);

        assertEquals(action, read);
        assertEquals("conn-1", read.chainKey());
        assertEquals(AdminAction.NO_CONNECTION, new AdminAction(action.actionId(), action.occurredAt(), "admin.post",
                "operator", "api", "POST", "organizations", null, null, null, null, null, 201, null, null, null)
                .chainKey());
        assertTrue(!new String(wire, StandardCharsets.UTF_8).contains("chainKey"), "derived, not on the wire");
    }

    @Test
    void instantsAreWrittenAsIsoStrings() {
        CommandOutcome outcome = CommandOutcome.rejected(java.util.UUID.randomUUID(), "conn-1",
                new CommandFailure(CommandFailure.Reason.UNIQUENESS, "taken"));
        String json = new String(ContractJson.write(outcome), StandardCharsets.UTF_8);
        assertTrue(json.contains("\"completedAt\":\"" + outcome.completedAt().toString().substring(0, 10)), json);
    }

    @Test
    void outcomeSurvivesTheWireWithUnknownFieldsFromNewerProducers() {
        UserSnapshot user = new UserSnapshot("u-1", "conn-1", profile(), 1, Instant.parse("2026-01-01T00:00:00Z"),
                Instant.parse("2026-01-02T00:00:00Z"));
        CommandOutcome outcome = CommandOutcome.applied(java.util.UUID.randomUUID(), "conn-1", user);
        String json = new String(ContractJson.write(outcome), StandardCharsets.UTF_8);
        String newer = json.substring(0, json.length() - 1) + ",\"addedLater\":42}";

        CommandOutcome read = new CommandOutcomeDeserializer().deserialize("t", newer.getBytes(StandardCharsets.UTF_8));

        assertEquals(outcome, read);
    }

    @Test
    void rejectedOutcomeWithoutFailureIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new CommandOutcome(java.util.UUID.randomUUID(), "c",
                CommandOutcome.Status.REJECTED, null, null, false, null, Instant.now()));
    }

    @Test
    void createCommandWithoutProfileIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new UserCommand(java.util.UUID.randomUUID(),
                UserCommandType.CREATE, "c", null, null, null, null, Instant.now(), false, null));
    }

    @Test
    void blankUserNameIsRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> new UserProfile("  ", null, true, ContractJson.mapper().createObjectNode()));
    }

    @Test
    void garbageOnTheWireIsAClearError() {
        UncheckedIOException error = assertThrows(UncheckedIOException.class,
                () -> new UserCommandDeserializer().deserialize("t", "{nope".getBytes(StandardCharsets.UTF_8)));
        assertTrue(error.getMessage().startsWith("not a valid UserCommand"), error.getMessage());
    }

    @Test
    void groupCommandRoundTripsWithItsEditsInOrder() {
        GroupCommand command = GroupCommand.modify("c", "g", java.util.List.of(GroupEdit.displayName("acme:web"),
                GroupEdit.removeMembers(java.util.List.of("u1")), GroupEdit.addMembers(java.util.List.of("u2", "u3"))),
                4L, null);

        GroupCommand read = new dev.scimsync.contracts.kafka.GroupCommandDeserializer().deserialize("t",
                ContractJson.write(command));

        assertEquals(command, read);
        assertEquals(java.util.List.of("u2", "u3"), read.joiningMembers());
    }

    @Test
    void replacingAGroupNeedsADisplayName() {
        assertThrows(IllegalArgumentException.class, () -> new GroupCommand(java.util.UUID.randomUUID(),
                GroupCommandType.REPLACE, "c", "g", java.util.List.of(GroupEdit.externalId("x")), null, null,
                Instant.now()));
    }
}
