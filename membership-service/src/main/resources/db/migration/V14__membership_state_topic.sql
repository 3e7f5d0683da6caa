-- The membership state topic (issue 21): every change of a member in an organization - its row, its account's
-- userName or externalId, its teams there - also writes the member's whole current state in that organization
-- to the outbox, in the same statement's transaction and order as its membership event, for the compacted topic
-- membership.state (key <organization id>/<member id>). A member no longer in the organization (removed, its
-- account deleted, its organization deleted) is written with no payload: a tombstone. Full states, not diffs:
-- the latest record of a key is all a consumer reading from the beginning needs.

alter table outbox_event alter column payload drop not null;
alter table outbox_event add constraint outbox_event_payload check (payload is not null or topic = 'membership.state');

alter table outbox_event drop constraint outbox_event_type;
alter table outbox_event add constraint outbox_event_type check (event_type in (
    'dev.scimsync.membership.member.created.v1', 'dev.scimsync.membership.member.updated.v1',
    'dev.scimsync.membership.member.deactivated.v1', 'dev.scimsync.membership.member.reactivated.v1',
    'dev.scimsync.membership.member.role_changed.v1', 'dev.scimsync.membership.member.removed.v1',
    'dev.scimsync.membership.scim_credential.v1', 'dev.scimsync.membership.member_state.v1'));

-- The state of each (account, organization) named, in the order first named; the trace context as for events.
create function emit_member_states(account_ids uuid[], organization_ids uuid[]) returns void language plpgsql as $$
declare
    traces jsonb := coalesce(nullif(current_setting('scimsync.traceparents', true), ''), '{}')::jsonb;
    trace text := nullif(current_setting('scimsync.traceparent', true), '');
begin
    if coalesce(cardinality(account_ids), 0) = 0 then
        return;
    end if;
    insert into outbox_event (id, topic, event_key, event_type, subject, connection_id, traceparent, payload)
    select gen_random_uuid(), 'membership.state', p.organization_id || '/' || p.account_id,
           'dev.scimsync.membership.member_state.v1', p.account_id::text, a.connection_id::text,
           coalesce(traces ->> p.account_id::text, trace),
           case when m.account_id is not null and a.id is not null then jsonb_build_object(
               'organizationId', p.organization_id,
               'organization', o.name,
               'memberId', p.account_id,
               'userName', a.user_name,
               'externalId', a.external_id,
               'connectionId', a.connection_id,
               'role', m.role,
               'state', m.state,
               'source', m.source,
               'teams', coalesce((select jsonb_agg(t.name order by lower(t.name)) from team_member tm
                                  join team t on t.id = tm.team_id
                                  where tm.account_id = p.account_id and t.organization_id = p.organization_id),
                                 '[]'::jsonb)) end
    from (select distinct on (u.account_id, u.organization_id) u.account_id, u.organization_id, u.position
          from unnest(account_ids, organization_ids) with ordinality as u(account_id, organization_id, position)
          order by u.account_id, u.organization_id, u.position) p
    left join member m on m.account_id = p.account_id and m.organization_id = p.organization_id
    left join account a on a.id = p.account_id
    left join organization o on o.id = p.organization_id
    order by p.position;
end;
$$;

-- PostgreSQL allows transition tables only on single-event triggers: one function per kind of change.
create function member_states_inserted() returns trigger language plpgsql as $$
begin
    perform emit_member_states(array(select account_id from new_rows order by account_id, organization_id),
                               array(select organization_id from new_rows order by account_id, organization_id));
    return null;
end;
$$;

create function member_states_updated() returns trigger language plpgsql as $$
begin
    perform emit_member_states(
        array(select n.account_id from old_rows o join new_rows n using (account_id, organization_id)
              where (o.role, o.state, o.source) is distinct from (n.role, n.state, n.source)
              order by n.account_id, n.organization_id),
        array(select n.organization_id from old_rows o join new_rows n using (account_id, organization_id)
              where (o.role, o.state, o.source) is distinct from (n.role, n.state, n.source)
              order by n.account_id, n.organization_id));
    return null;
end;
$$;

create function member_states_deleted() returns trigger language plpgsql as $$
begin
    perform emit_member_states(array(select account_id from old_rows order by account_id, organization_id),
                               array(select organization_id from old_rows order by account_id, organization_id));
    return null;
end;
$$;

create trigger member_states_inserted after insert on member referencing new table as new_rows
    for each statement execute function member_states_inserted();
create trigger member_states_updated after update on member referencing old table as old_rows new table as new_rows
    for each statement execute function member_states_updated();
create trigger member_states_deleted after delete on member referencing old table as old_rows
    for each statement execute function member_states_deleted();

-- A team place is part of the member's state in the team's organization.
create function team_member_states_inserted() returns trigger language plpgsql as $$
begin
    perform emit_member_states(array(select n.account_id from new_rows n join team t on t.id = n.team_id
                                     order by n.account_id, t.organization_id),
                               array(select t.organization_id from new_rows n join team t on t.id = n.team_id
                                     order by n.account_id, t.organization_id));
    return null;
end;
$$;

-- A team deleted with its organization is gone here: that organization's member deletions write the tombstones.
create function team_member_states_deleted() returns trigger language plpgsql as $$
begin
    perform emit_member_states(array(select o.account_id from old_rows o join team t on t.id = o.team_id
                                     order by o.account_id, t.organization_id),
                               array(select t.organization_id from old_rows o join team t on t.id = o.team_id
                                     order by o.account_id, t.organization_id));
    return null;
end;
$$;

create trigger team_member_states_inserted after insert on team_member referencing new table as new_rows
    for each statement execute function team_member_states_inserted();
create trigger team_member_states_deleted after delete on team_member referencing old table as old_rows
    for each statement execute function team_member_states_deleted();

-- A renamed account (userName, externalId) changes its state in each of its organizations.
create function account_member_states_updated() returns trigger language plpgsql as $$
begin
    perform emit_member_states(
        array(select m.account_id from old_rows o join new_rows n on n.id = o.id join member m on m.account_id = n.id
              where (o.user_name, o.external_id) is distinct from (n.user_name, n.external_id)
              order by m.account_id, m.organization_id),
        array(select m.organization_id from old_rows o join new_rows n on n.id = o.id join member m on m.account_id = n.id
              where (o.user_name, o.external_id) is distinct from (n.user_name, n.external_id)
              order by m.account_id, m.organization_id));
    return null;
end;
$$;

create trigger account_member_states_updated after update on account referencing old table as old_rows new table as new_rows
    for each statement execute function account_member_states_updated();

-- The members that exist already, so that an existing deployment fills the topic.
select emit_member_states(array_agg(account_id order by account_id, organization_id),
                          array_agg(organization_id order by account_id, organization_id))
from member;
