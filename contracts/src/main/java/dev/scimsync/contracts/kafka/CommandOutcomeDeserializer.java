package dev.scimsync.contracts.kafka;

import dev.scimsync.contracts.CommandOutcome;

public class CommandOutcomeDeserializer extends ContractDeserializer<CommandOutcome> {
    public CommandOutcomeDeserializer() {
        super(CommandOutcome.class);
    }
}
