-- A processed command is kept as long as Kafka may redeliver its command, then expires
-- (ProcessedCommands.expire); indexed by age so the scheduled delete reads only what expires.
create index processed_command_processed_at on processed_command (processed_at);
