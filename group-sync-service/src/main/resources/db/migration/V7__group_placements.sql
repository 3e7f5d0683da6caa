-- Groups place people (issue 20). membership-service owns membership, so a mapped group's members become
-- organization members there: whenever the mapped groups of a user change - it joins or leaves a group, a group
-- is renamed, mapped, unmapped or deleted - the user's whole set of placements (organization, team, role, group)
-- is written to the outbox for group.placements (key: user id), in the same transaction as the change. The whole
-- set each time: membership-service applies the latest, so order per user is all it needs, and a redelivery or a
-- replay changes nothing. A user's deactivation is not a placement change: membership-service applies it itself.

create function emit_group_placements(user_ids uuid[]) returns void
language sql as $$
    insert into outbox_event (id, topic, event_key, event_type, subject, connection_id, traceparent, payload)
    select e.id, 'group.placements', u.user_id::text, 'dev.scimsync.groupsync.group_placements.v1', u.user_id::text,
           u.connection_id, nullif(current_setting('scimsync.traceparent', true), ''),
           jsonb_build_object('eventId', e.id, 'userId', u.user_id, 'connectionId', u.connection_id,
                              'placements', coalesce(
                                  (select jsonb_agg(jsonb_build_object('organization', t.organization, 'team', t.name,
                                                                       'role', coalesce(g.team_role, 'member'),
                                                                       'group', g.display_name)
                                                    order by lower(g.display_name))
                                   from group_member m
                                   join scim_group g on g.id = m.group_id
                                   join team t on t.id = g.team_id
                                   where m.user_id = u.user_id), '[]'::jsonb),
                              'occurredAt', to_char(clock_timestamp() at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'))
    from (select x.user_id, gen_random_uuid() as id from (select distinct unnest(user_ids) as user_id) x) e
    -- A user no longer in the directory was deleted: membership-service removed it with its memberships.
    join directory_user u on u.user_id = e.user_id
    order by e.user_id;
$$;

-- Joining a mapped group places the user; joining an unmapped one changes nothing.
create function group_members_joined_placements() returns trigger language plpgsql as $$
begin
    perform emit_group_placements(array(select distinct j.user_id from joined j
                                        join scim_group g on g.id = j.group_id and g.team_id is not null));
    return null;
end;
$$;
create trigger group_members_joined_placements after insert on group_member referencing new table as joined
    for each statement execute function group_members_joined_placements();

-- Leaving any group: a deleted group's row is gone before its members are (cascade), so mapped or not is unknown.
create function group_members_left_placements() returns trigger language plpgsql as $$
begin
    perform emit_group_placements(array(select distinct l.user_id from left_members l));
    return null;
end;
$$;
create trigger group_members_left_placements after delete on group_member referencing old table as left_members
    for each statement execute function group_members_left_placements();

-- A group renamed, mapped, unmapped or given another role moves all its members.
create function group_mapping_changed_placements() returns trigger language plpgsql as $$
begin
    perform emit_group_placements(array(select m.user_id from group_member m where m.group_id = new.id));
    return null;
end;
$$;
create trigger group_mapping_changed_placements after update of team_id, team_role on scim_group for each row
    when (old.team_id is distinct from new.team_id or old.team_role is distinct from new.team_role)
    execute function group_mapping_changed_placements();

alter table outbox_event drop constraint outbox_event_type;
alter table outbox_event add constraint outbox_event_type check (event_type in (
    'dev.scimsync.team.created.v1', 'dev.scimsync.team.member.added.v1', 'dev.scimsync.team.member.removed.v1',
    'dev.scimsync.groupsync.group_placements.v1'));
