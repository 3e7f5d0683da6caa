-- What audit-service's runtime role (${runtime_role}, its quarkus.datasource.username) may do: read the log and
-- append to it, move chain heads, record dead-letter replays, and call the two partition functions (V7). Not
-- UPDATE or DELETE on the log, not TRUNCATE, and nothing that needs ownership (ALTER, DISABLE TRIGGER, DROP):
-- those stay with the owner that runs these migrations. Flyway runs this again whenever the role's name changes.
-- When the service runs as the owner itself (local development with one role) there is nothing to restrict.
do $$
declare
    runtime text := '${runtime_role}';
begin
    if runtime = current_user then
        raise notice 'audit-service runs as the migration role %: its privileges are not restricted', runtime;
        return;
    end if;
    execute format('revoke all on all tables in schema public from %I', runtime);
    execute format('revoke all on all functions in schema public from %I', runtime);
    execute format('grant usage on schema public to %I', runtime);
    execute format('grant select, insert on audit_log, audit_message to %I', runtime);
    execute format('grant select, insert, update on audit_chain, dead_letter_replay to %I', runtime);
    execute format('grant select on audit_checkpoint, audit_retention, audit_retention_floor to %I', runtime);
    execute format('grant execute on function audit_ensure_partition(date), '
                   'audit_drop_expired_partitions(integer) to %I', runtime);
end;
$$;
