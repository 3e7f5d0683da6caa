-- What is kept only for a while (StoredDataExpiry): a processed command as long as Kafka may redeliver it
-- and then some, a provisioning error as long as an admin troubleshoots. Indexed by age, so the scheduled
-- deletes read only what expires.
create index processed_command_processed_at on processed_command (processed_at);
create index provisioning_error_occurred_at on provisioning_error (occurred_at);
