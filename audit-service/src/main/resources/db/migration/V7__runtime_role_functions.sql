-- audit-service runs as a role that may only read and append (docs/security.md, "audit-service's database
-- roles"); migrations run as the owner. What the service used to do as owner - create the coming months'
-- partitions, drop the expired ones - it now asks these functions for: they run with the owner's rights
-- (security definer) and do exactly that, nothing else.

-- The shortest retention the drop function accepts. The service's first call sets it, a call that asks for
-- longer raises it, and only the owner can lower it: a stolen runtime role cannot shorten what the log keeps.
create table audit_retention_floor (
    only_row boolean primary key default true check (only_row),
    days     integer not null check (days > 0)
);

-- Creates the month's partition unless it exists. Two at once (replicas starting together, a slow start meeting
-- the first scheduled check) take turns on an advisory lock ("audt"); the second then finds the table.
create function audit_ensure_partition(month_start date) returns void
    language plpgsql security definer set search_path = public, pg_temp as $$
begin
    if month_start is null or month_start <> date_trunc('month', month_start)::date then
        raise exception 'a partition starts on the first day of a month, not %', month_start;
    end if;
    perform pg_advisory_xact_lock(1635083380);
    execute format('create table if not exists %I partition of audit_log for values from (%L) to (%L)',
                   'audit_log_y' || to_char(month_start, 'YYYY') || 'm' || to_char(month_start, 'MM'),
                   month_start, (month_start + interval '1 month')::date);
end;
$$;

-- Drops the monthly partitions that end before now - retention_days, oldest first; answers their names. Each
-- connection's last dropped record becomes its chain's checkpoint (verify starts there), each drop is recorded
-- in audit_retention, and message ids older than the cutoff are forgotten - all in the caller's transaction.
create function audit_drop_expired_partitions(retention_days integer) returns setof text
    language plpgsql security definer set search_path = public, pg_temp as $$
declare
    floor_days integer;
    cutoff     timestamptz;
    expired    record;
begin
    if retention_days is null or retention_days < 1 then
        raise exception 'retention must be at least one day, not %', retention_days;
    end if;
    select days into floor_days from audit_retention_floor for update;
    if floor_days is null then
        insert into audit_retention_floor (days) values (retention_days);
    elsif retention_days < floor_days then
        raise exception 'a retention of % days is shorter than the % days this audit log keeps; only the database '
            'owner can shorten it (docs/security.md)', retention_days, floor_days
            using errcode = 'insufficient_privilege';
    elsif retention_days > floor_days then
        update audit_retention_floor set days = retention_days;
    end if;
    cutoff := now() - make_interval(days => retention_days);
    for expired in
        select c.relname as name,
               (to_date(substr(c.relname, 12, 4) || substr(c.relname, 17, 2), 'YYYYMM') + interval '1 month')
                   at time zone 'UTC' as range_end
        from pg_inherits i join pg_class c on c.oid = i.inhrelid
        where i.inhparent = 'audit_log'::regclass and c.relname ~ '^audit_log_y\d{4}m\d{2}$'
        order by c.relname
    loop
        continue when expired.range_end > cutoff;
        -- Partitions go oldest first and a chain's times increase with its seq, so the last record of a
        -- connection in this partition is the newest it has lost.
        execute format('insert into audit_checkpoint (connection_id, last_seq, last_hash, last_key_id, '
                       'partition_name) select distinct on (connection_id) connection_id, seq, hash, key_id, %L '
                       'from %I order by connection_id, seq desc on conflict (connection_id) do update set '
                       'last_seq = excluded.last_seq, last_hash = excluded.last_hash, '
                       'last_key_id = excluded.last_key_id, partition_name = excluded.partition_name, '
                       'dropped_at = now() where excluded.last_seq > audit_checkpoint.last_seq',
                       expired.name, expired.name);
        execute format('alter table audit_log detach partition %I', expired.name);
        execute format('drop table %I', expired.name);
        insert into audit_retention (partition_name, range_end) values (expired.name, expired.range_end);
        return next expired.name;
    end loop;
    delete from audit_message where recorded_at < cutoff;
end;
$$;

revoke all on function audit_ensure_partition(date) from public;
revoke all on function audit_drop_expired_partitions(integer) from public;
