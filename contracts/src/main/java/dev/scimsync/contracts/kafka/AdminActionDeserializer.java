package dev.scimsync.contracts.kafka;

import dev.scimsync.contracts.AdminAction;

public class AdminActionDeserializer extends ContractDeserializer<AdminAction> {
    public AdminActionDeserializer() {
        super(AdminAction.class);
    }
}
