package dev.scimsync.contracts.kafka;

import dev.scimsync.contracts.ContractJson;
import org.apache.kafka.common.serialization.Serializer;

/** Writes any contract record as JSON. */
public class ContractSerializer implements Serializer<Object> {
    @Override
    public byte[] serialize(String topic, Object data) {
        return data == null ? null : ContractJson.write(data);
    }
}
