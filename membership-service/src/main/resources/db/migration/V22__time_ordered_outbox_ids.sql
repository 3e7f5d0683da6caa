-- Outbox rows keyed by time-ordered ids (UUID version 7, RFC 9562), as the accounts SCIM creates now are
-- (TimeOrderedIds): a random id put each of a batch's outbox rows on another leaf page of outbox_event's primary key,
-- a time-ordered one puts them at its right-hand end. The id is also each event's CloudEvents id (ce_id), unique as
-- before: 48 bits of milliseconds, then 74 random bits. PostgreSQL 14 has no uuidv7(): the bytes of a random UUID get
-- the time in their first six and version 7 in their seventh's high nibble; the variant bits stay RFC 9562's.
create function time_ordered_uuid() returns uuid language sql volatile parallel safe as $$
    select encode(set_bit(set_bit(overlay(uuid_send(gen_random_uuid())
                                          placing substring(int8send(floor(extract(epoch from clock_timestamp()) * 1000)::bigint)
                                                            from 3)
                                          from 1 for 6), 52, 1), 53, 1), 'hex')::uuid
$$;

-- V9's and V14's functions as V21 left them (the generic plan kept), their ids time-ordered.
create or replace function emit_member_events(changes member_change[]) returns void language plpgsql
    set plan_cache_mode = force_generic_plan as $$
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
    from (select c.*, time_ordered_uuid() as event_id
          from unnest(changes) with ordinality as c(kind, account_id, organization_id, role, previous_role, state,
                                                    source, position)) e
    join account a on a.id = e.account_id
    join organization o on o.id = e.organization_id
    order by e.position;
end;
$$;

create or replace function emit_member_states(account_ids uuid[], organization_ids uuid[]) returns void
    language plpgsql set plan_cache_mode = force_generic_plan as $$
declare
    traces jsonb := coalesce(nullif(current_setting('scimsync.traceparents', true), ''), '{}')::jsonb;
    trace text := nullif(current_setting('scimsync.traceparent', true), '');
begin
    if coalesce(cardinality(account_ids), 0) = 0 then
        return;
    end if;
    insert into outbox_event (id, topic, event_key, event_type, subject, connection_id, traceparent, payload)
    select time_ordered_uuid(), 'membership.state', p.organization_id || '/' || p.account_id,
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
