package dev.scimsync.contracts.kafka;

import dev.scimsync.contracts.GroupCommand;

public class GroupCommandDeserializer extends ContractDeserializer<GroupCommand> {
    public GroupCommandDeserializer() {
        super(GroupCommand.class);
    }
}
