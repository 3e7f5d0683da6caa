-- Team events, written to the outbox by triggers in the same transaction as the change (statement-level
-- where members change in bulk, so adding 10,000 members writes its 10,000 events in one statement), then
-- captured from the WAL by Debezium and published as CloudEvents (outbox-relay).
-- Team membership is derived (active members of the groups mapped to a team), so an event is written only
-- when a user really enters or leaves a team: not when it joins a second group of a team it is already in.

-- The outbox table, its heartbeat table, publication and slot: outbox-relay's db/outbox migrations.

-- One event per (team, member) pair, in the order given.
create function emit_team_member_events(kind text, team_ids uuid[], member_ids uuid[]) returns void
language sql as $$
    insert into outbox_event (id, topic, event_key, event_type, subject, connection_id, traceparent, payload)
    select e.id, 'team.events', e.member_id::text, 'dev.scimsync.team.member.' || kind || '.v1', e.member_id::text,
           u.connection_id, nullif(current_setting('scimsync.traceparent', true), ''),
           jsonb_build_object('eventId', e.id, 'teamId', t.id, 'organization', t.organization, 'team', t.name,
                              'memberId', e.member_id, 'userName', u.user_name, 'connectionId', u.connection_id,
                              'occurredAt', to_char(clock_timestamp() at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'))
    from (select gen_random_uuid() as id, x.team_id, x.member_id, x.n
          from unnest(team_ids, member_ids) with ordinality as x(team_id, member_id, n)) e
    join team t on t.id = e.team_id
    left join directory_user u on u.user_id = e.member_id
    order by e.n;
$$;

create function team_created() returns trigger language plpgsql as $$
declare
    event_id uuid := gen_random_uuid();
begin
    insert into outbox_event (id, topic, event_key, event_type, subject, traceparent, payload)
    values (event_id, 'team.events', new.id::text, 'dev.scimsync.team.created.v1', new.id::text,
            nullif(current_setting('scimsync.traceparent', true), ''),
            jsonb_build_object('eventId', event_id, 'teamId', new.id, 'organization', new.organization,
                               'team', new.name,
                               'occurredAt', to_char(clock_timestamp() at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')));
    return null;
end;
$$;
create trigger team_created after insert on team for each row execute function team_created();

-- Members added to a mapped group enter its team, unless another group already put them there.
create function group_members_added() returns trigger language plpgsql as $$
declare
    teams uuid[];
    members uuid[];
begin
    select array_agg(j.team_id order by j.user_id), array_agg(j.user_id order by j.user_id) into teams, members
    from (select distinct g.team_id, a.user_id
          from added a
          join scim_group g on g.id = a.group_id and g.team_id is not null
          join directory_user u on u.user_id = a.user_id and u.active
          where not exists (select 1 from group_member o join scim_group og on og.id = o.group_id
                            where og.team_id = g.team_id and o.user_id = a.user_id and o.group_id <> a.group_id)) j;
    if members is not null then
        perform emit_team_member_events('added', teams, members);
    end if;
    return null;
end;
$$;
create trigger group_members_added after insert on group_member referencing new table as added
    for each statement execute function group_members_added();

-- Members removed from a mapped group leave its team, unless another of its groups keeps them there.
create function group_members_removed() returns trigger language plpgsql as $$
declare
    teams uuid[];
    members uuid[];
begin
    select array_agg(j.team_id order by j.user_id), array_agg(j.user_id order by j.user_id) into teams, members
    from (select distinct g.team_id, r.user_id
          from removed r
          join scim_group g on g.id = r.group_id and g.team_id is not null
          join directory_user u on u.user_id = r.user_id and u.active
          where not exists (select 1 from group_member o join scim_group og on og.id = o.group_id
                            where og.team_id = g.team_id and o.user_id = r.user_id)) j;
    if members is not null then
        perform emit_team_member_events('removed', teams, members);
    end if;
    return null;
end;
$$;
create trigger group_members_removed after delete on group_member referencing old table as removed
    for each statement execute function group_members_removed();

-- A group mapped to another team (rename, explicit mapping) moves its members.
create function group_team_changed() returns trigger language plpgsql as $$
declare
    teams uuid[];
    members uuid[];
begin
    if old.team_id is not null then
        select array_agg(old.team_id), array_agg(m.user_id order by m.user_id) into teams, members
        from group_member m join directory_user u on u.user_id = m.user_id and u.active
        where m.group_id = new.id
          and not exists (select 1 from group_member o join scim_group og on og.id = o.group_id
                          where og.team_id = old.team_id and og.id <> new.id and o.user_id = m.user_id);
        if members is not null then
            perform emit_team_member_events('removed', teams, members);
        end if;
    end if;
    if new.team_id is not null then
        select array_agg(new.team_id), array_agg(m.user_id order by m.user_id) into teams, members
        from group_member m join directory_user u on u.user_id = m.user_id and u.active
        where m.group_id = new.id
          and not exists (select 1 from group_member o join scim_group og on og.id = o.group_id
                          where og.team_id = new.team_id and og.id <> new.id and o.user_id = m.user_id);
        if members is not null then
            perform emit_team_member_events('added', teams, members);
        end if;
    end if;
    return null;
end;
$$;
create trigger group_team_changed after update of team_id on scim_group for each row
    when (old.team_id is distinct from new.team_id) execute function group_team_changed();

-- A deactivated user leaves the teams of its groups; re-activated, it is back in them.
create function directory_user_activity_changed() returns trigger language plpgsql as $$
declare
    teams uuid[];
    members uuid[];
begin
    select array_agg(j.team_id), array_agg(new.user_id) into teams, members
    from (select distinct g.team_id from group_member m join scim_group g on g.id = m.group_id
          where m.user_id = new.user_id and g.team_id is not null) j;
    if teams is not null then
        perform emit_team_member_events(case when new.active then 'added' else 'removed' end, teams, members);
    end if;
    return null;
end;
$$;
create trigger directory_user_activity_changed after update of active on directory_user for each row
    when (old.active is distinct from new.active) execute function directory_user_activity_changed();

-- Only the event types the catalog (docs/events/asyncapi.yaml, contracts' EventTypes) describes.
alter table outbox_event add constraint outbox_event_type check (event_type in (
    'dev.scimsync.team.created.v1', 'dev.scimsync.team.member.added.v1', 'dev.scimsync.team.member.removed.v1'));
