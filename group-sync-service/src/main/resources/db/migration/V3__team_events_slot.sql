-- The outbox relay's replication slot, created before any outbox row exists (see membership-service's V6).
select pg_create_logical_replication_slot('groupsync_outbox', 'pgoutput')
where not exists (select 1 from pg_replication_slots where slot_name = 'groupsync_outbox');
