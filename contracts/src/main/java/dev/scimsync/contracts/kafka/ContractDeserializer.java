package dev.scimsync.contracts.kafka;

import dev.scimsync.contracts.ContractJson;
import org.apache.kafka.common.serialization.Deserializer;

/** Reads one contract type from JSON; a subclass per type names it for Kafka configuration. */
public abstract class ContractDeserializer<T> implements Deserializer<T> {
    private final Class<T> type;

    protected ContractDeserializer(Class<T> type) {
        this.type = type;
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        return data == null ? null : ContractJson.read(data, type);
    }
}
