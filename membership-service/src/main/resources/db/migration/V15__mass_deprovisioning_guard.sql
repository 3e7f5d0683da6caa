-- The mass-deprovisioning guard (issue 21): a mis-scoped IdP rule must not de-provision hundreds of people in
-- minutes. Per connection, deactivations and removals of active SCIM members beyond a threshold within a window
-- are held - not applied - until an admin approves or rejects them (docs/admin-guide.md, "Mass-deprovisioning
-- guard").

-- The threshold: more than guard_percent % of the connection's SCIM members, or more than guard_max_members,
-- deactivated or removed within guard_window_minutes - but never fewer than guard_min_members pass, so that a
-- small connection's ordinary off-boarding is not held (10 % of 8 members would hold the first). Off for a
-- connection that opts out.
alter table connection
    add column guard_enabled boolean not null default true,
    add column guard_percent integer not null default 10 check (guard_percent between 0 and 100),
    add column guard_max_members integer not null default 50 check (guard_max_members >= 0),
    add column guard_min_members integer not null default 5 check (guard_min_members >= 0),
    add column guard_window_minutes integer not null default 10 check (guard_window_minutes between 1 and 1440);

-- Each deactivation or removal of an active SCIM member applied, for the window's count.
create table deprovisioning (
    connection_id uuid not null references connection (id) on delete cascade,
    account_id    uuid not null,
    applied_at    timestamptz not null
);
create index deprovisioning_window on deprovisioning (connection_id, applied_at);

-- What the guard held, in the order it arrived (seq), with the command as the IdP sent it.
create table held_change (
    id              uuid primary key,
    seq             bigint generated always as identity,
    connection_id   uuid not null references connection (id) on delete cascade,
    command_id      uuid not null unique,
    account_id      uuid not null,
    account_version bigint not null,
    user_name       text not null,
    kind            text not null check (kind in ('deactivate', 'remove')),
    command         jsonb not null,
    held_at         timestamptz not null,
    state           text not null default 'held' check (state in ('held', 'approved', 'rejected', 'superseded')),
    decided_at      timestamptz,
    check ((state = 'held') = (decided_at is null))
);
create index held_change_pending on held_change (connection_id, seq) where state = 'held';
create index held_change_account on held_change (account_id) where state = 'held';

alter table outbox_event drop constraint outbox_event_type;
alter table outbox_event add constraint outbox_event_type check (event_type in (
    'dev.scimsync.membership.member.created.v1', 'dev.scimsync.membership.member.updated.v1',
    'dev.scimsync.membership.member.deactivated.v1', 'dev.scimsync.membership.member.reactivated.v1',
    'dev.scimsync.membership.member.role_changed.v1', 'dev.scimsync.membership.member.removed.v1',
    'dev.scimsync.membership.guard.held.v1', 'dev.scimsync.membership.guard.approved.v1',
    'dev.scimsync.membership.guard.rejected.v1', 'dev.scimsync.membership.guard.superseded.v1',
    'dev.scimsync.membership.scim_credential.v1', 'dev.scimsync.membership.member_state.v1'));

-- Each hold and each decision is an event on membership.events (keyed by the member, in order with its other
-- events), so an on-call person can be paged; audit-service records it like every membership event.
create function emit_guard_events(guard_event text, held_ids uuid[]) returns void language plpgsql as $$
declare
    traces jsonb := coalesce(nullif(current_setting('scimsync.traceparents', true), ''), '{}')::jsonb;
    trace text := nullif(current_setting('scimsync.traceparent', true), '');
begin
    if coalesce(cardinality(held_ids), 0) = 0 then
        return;
    end if;
    insert into outbox_event (id, topic, event_key, event_type, subject, connection_id, traceparent, payload)
    select h.event_id, 'membership.events', h.account_id::text,
           'dev.scimsync.membership.guard.' || guard_event || '.v1', h.account_id::text, h.connection_id::text,
           coalesce(traces ->> h.account_id::text, trace),
           jsonb_build_object(
               'eventId', h.event_id,
               'heldChangeId', h.id,
               'memberId', h.account_id,
               'userName', h.user_name,
               'connectionId', h.connection_id,
               'connection', c.name,
               'change', h.kind,
               'state', h.state,
               'heldAt', to_char(h.held_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
               'occurredAt', to_char(clock_timestamp() at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'))
    -- One new id per row: gen_random_uuid() in the select list of the row's own subquery.
    from (select held.*, gen_random_uuid() as event_id from held_change held where held.id = any(held_ids)) h
    join connection c on c.id = h.connection_id
    order by h.seq;
end;
$$;

create function held_changes_inserted() returns trigger language plpgsql as $$
begin
    perform emit_guard_events('held', array(select n.id from new_rows n));
    return null;
end;
$$;

create function held_changes_decided() returns trigger language plpgsql as $$
begin
    perform emit_guard_events('approved', array(select n.id from old_rows o join new_rows n using (id)
                                                where o.state = 'held' and n.state = 'approved'));
    perform emit_guard_events('rejected', array(select n.id from old_rows o join new_rows n using (id)
                                                where o.state = 'held' and n.state = 'rejected'));
    perform emit_guard_events('superseded', array(select n.id from old_rows o join new_rows n using (id)
                                                  where o.state = 'held' and n.state = 'superseded'));
    return null;
end;
$$;

create trigger held_changes_inserted after insert on held_change referencing new table as new_rows
    for each statement execute function held_changes_inserted();
create trigger held_changes_decided after update on held_change referencing old table as old_rows new table as new_rows
    for each statement execute function held_changes_decided();
