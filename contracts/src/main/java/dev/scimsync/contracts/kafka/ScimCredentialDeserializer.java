package dev.scimsync.contracts.kafka;

import dev.scimsync.contracts.ScimCredential;

public class ScimCredentialDeserializer extends ContractDeserializer<ScimCredential> {
    public ScimCredentialDeserializer() {
        super(ScimCredential.class);
    }
}
