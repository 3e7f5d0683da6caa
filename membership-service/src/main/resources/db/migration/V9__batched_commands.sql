-- User commands are applied a batch at a time, with set-based statements (one insert for all of a batch's
-- new members). The membership event triggers become statement-level so that such a statement writes all its
-- events with one insert, and the seat check reads a maintained counter instead of counting the organization.

-- Seats taken, kept by the member triggers below on every path (SCIM, JIT, invitations, admin, cascades).
alter table organization add column member_count integer not null default 0;
update organization o set member_count = (select count(*) from member m where m.organization_id = o.id);

-- One change of one member, as the outbox writer takes them.
create type member_change as (
    kind            text,
    account_id      uuid,
    organization_id uuid,
    role            text,
    previous_role   text,
    state           text,
    source          text
);

-- Writes the events of a statement's changes, in the order given, with one insert. The trace context comes
-- from scimsync.traceparents (a JSON object: account id -> W3C traceparent, set by a batch of commands, each
-- with its own trace) or else scimsync.traceparent (one trace for the whole transaction). A change whose
-- account no longer exists is not reported: that account's deletion reported its memberships already.
create function emit_member_events(changes member_change[]) returns void language plpgsql as $$
declare
    traces jsonb := coalesce(nullif(current_setting('scimsync.traceparents', true), ''), '{}')::jsonb;
    trace text := nullif(current_setting('scimsync.traceparent', true), '');
begin
    if cardinality(changes) = 0 then
        return;
    end if;
    insert into outbox_event (id, topic, event_key, event_type, subject, connection_id, traceparent, payload)
    select e.event_id, 'membership.events', e.account_id::text, 'dev.scimsync.membership.member.' || e.kind || '.v1',
           e.account_id::text, a.connection_id::text, coalesce(traces ->> e.account_id::text, trace),
           jsonb_build_object(
               'eventId', e.event_id,
               'memberId', e.account_id,
               'userName', a.user_name,
               'externalId', a.external_id,
               'organizationId', e.organization_id,
               'organization', o.name,
               'role', e.role,
               'previousRole', e.previous_role,
               'state', e.state,
               'source', e.source,
               'connectionId', a.connection_id,
               'occurredAt', to_char(clock_timestamp() at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'))
    from (select c.*, gen_random_uuid() as event_id
          from unnest(changes) with ordinality as c(kind, account_id, organization_id, role, previous_role, state,
                                                    source, position)) e
    join account a on a.id = e.account_id
    join organization o on o.id = e.organization_id
    order by e.position;
end;
$$;

-- The row-level writer V5 defined, kept for the account deletion trigger: one change through the same path.
create or replace function emit_member_event(kind text, member_account uuid, member_organization uuid, member_role text,
        previous_role text, member_state text, member_source text) returns void language plpgsql as $$
begin
    perform emit_member_events(array[row(kind, member_account, member_organization, member_role, previous_role,
                                         member_state, member_source)::member_change]);
end;
$$;

drop trigger member_events on member;
drop function member_changed();

create function members_inserted() returns trigger language plpgsql as $$
begin
    perform emit_member_events(array(
        select row('created', n.account_id, n.organization_id, n.role, null, n.state, n.source)::member_change
        from new_members n));
    update organization o set member_count = o.member_count + added.count
    from (select organization_id, count(*) as count from new_members group by organization_id) added
    where o.id = added.organization_id;
    return null;
end;
$$;

create trigger members_inserted after insert on member referencing new table as new_members
    for each statement execute function members_inserted();

-- Each kind of change is one event: a deactivation that also changes the role is two, the state first.
create function members_updated() returns trigger language plpgsql as $$
begin
    perform emit_member_events(array(
        select change from (
            select row(case when n.state = 'active' then 'reactivated' else 'deactivated' end, n.account_id,
                       n.organization_id, n.role, null, n.state, n.source)::member_change as change,
                   n.account_id, n.organization_id, 1 as step
            from old_members o join new_members n using (account_id, organization_id)
            where o.state <> n.state
            union all
            select row('role_changed', n.account_id, n.organization_id, n.role, o.role, n.state, n.source)::member_change,
                   n.account_id, n.organization_id, 2
            from old_members o join new_members n using (account_id, organization_id)
            where o.role <> n.role) changes
        order by account_id, organization_id, step));
    return null;
end;
$$;

create trigger members_updated after update on member referencing old table as old_members new table as new_members
    for each statement execute function members_updated();

create function members_deleted() returns trigger language plpgsql as $$
begin
    -- Members cascaded away with their account are skipped by the join on account in emit_member_events.
    perform emit_member_events(array(
        select row('removed', o.account_id, o.organization_id, o.role, null, o.state, o.source)::member_change
        from old_members o));
    update organization o set member_count = o.member_count - removed.count
    from (select organization_id, count(*) as count from old_members group by organization_id) removed
    where o.id = removed.organization_id;
    return null;
end;
$$;

create trigger members_deleted after delete on member referencing old table as old_members
    for each statement execute function members_deleted();

-- A changed profile (userName, externalId, SCIM attributes) is an update of each of the account's memberships.
drop trigger account_updated on account;
drop function account_updated();

create function accounts_updated() returns trigger language plpgsql as $$
begin
    perform emit_member_events(array(
        select row('updated', m.account_id, m.organization_id, m.role, null, m.state, m.source)::member_change
        from old_accounts o
        join new_accounts n on n.id = o.id
        join member m on m.account_id = n.id
        where (o.user_name, o.external_id, o.attributes) is distinct from (n.user_name, n.external_id, n.attributes)
        order by m.account_id, m.organization_id));
    return null;
end;
$$;

create trigger accounts_updated after update on account referencing old table as old_accounts new table as new_accounts
    for each statement execute function accounts_updated();

-- A batch reads the team places of the accounts it changes; deleting an account cascades to them too.
create index team_member_account on team_member (account_id);
