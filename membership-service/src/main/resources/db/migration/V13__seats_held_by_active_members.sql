-- Membership follows the IdP's state (issue 20): a member the IdP deactivated keeps its place in the listing
-- (its id and history) but holds no seat, so an organization that off-boards 50 people can on-board 50 others.
-- organization.member_count, which every seat check reads, now counts active members only; the triggers keep
-- it so on every path (SCIM batches, JIT, invitations, admin, cascades), including a change of state.

update organization o set member_count = (select count(*) from member m
                                          where m.organization_id = o.id and m.state = 'active');

create or replace function members_inserted() returns trigger language plpgsql as $$
begin
    perform emit_member_events(array(
        select row('created', n.account_id, n.organization_id, n.role, null, n.state, n.source)::member_change
        from new_members n));
    update organization o set member_count = o.member_count + added.count
    from (select organization_id, count(*) as count from new_members where state = 'active'
          group by organization_id) added
    where o.id = added.organization_id;
    return null;
end;
$$;

-- Each kind of change is one event: a deactivation that also changes the role is two, the state first.
create or replace function members_updated() returns trigger language plpgsql as $$
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
    -- A deactivation frees a seat, a re-activation takes one.
    update organization o set member_count = o.member_count + moved.delta
    from (select n.organization_id,
                 sum(case when n.state = 'active' then 1 else -1 end) as delta
          from old_members o join new_members n using (account_id, organization_id)
          where (o.state = 'active') <> (n.state = 'active')
          group by n.organization_id) moved
    where o.id = moved.organization_id and moved.delta <> 0;
    return null;
end;
$$;

create or replace function members_deleted() returns trigger language plpgsql as $$
begin
    -- Members cascaded away with their account are skipped by the join on account in emit_member_events.
    perform emit_member_events(array(
        select row('removed', o.account_id, o.organization_id, o.role, null, o.state, o.source)::member_change
        from old_members o));
    update organization o set member_count = o.member_count - removed.count
    from (select organization_id, count(*) as count from old_members where state = 'active'
          group by organization_id) removed
    where o.id = removed.organization_id;
    return null;
end;
$$;
