package dev.scimsync.contracts.kafka;

import dev.scimsync.contracts.ChainHead;

public class ChainHeadDeserializer extends ContractDeserializer<ChainHead> {
    public ChainHeadDeserializer() {
        super(ChainHead.class);
    }
}
