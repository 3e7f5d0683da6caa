-- The replication slot the outbox relay reads, created here - before any outbox row exists - so that the
-- WAL keeps every event from the first one on, whenever the relay first connects. (A migration of its own:
-- a slot cannot be created in a transaction that has already written.)
select pg_create_logical_replication_slot('membership_outbox', 'pgoutput')
where not exists (select 1 from pg_replication_slots where slot_name = 'membership_outbox');
