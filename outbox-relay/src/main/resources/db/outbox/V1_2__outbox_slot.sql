-- The replication slot the relay reads, created before any outbox row exists so that the WAL keeps every
-- event from the first one on, whenever the relay first connects. A migration of its own: a slot cannot be
-- created in a transaction that has already written.
select pg_create_logical_replication_slot('${outbox_slot}', 'pgoutput')
where not exists (select 1 from pg_replication_slots where slot_name = '${outbox_slot}');
