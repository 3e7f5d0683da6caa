package dev.scimsync.contracts.kafka;

import dev.scimsync.contracts.UserCommand;

public class UserCommandDeserializer extends ContractDeserializer<UserCommand> {
    public UserCommandDeserializer() {
        super(UserCommand.class);
    }
}
