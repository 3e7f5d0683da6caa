-- A change of who manages a membership is announced: a JIT member adopted by SCIM (the JIT-to-SCIM migration), an
-- invitation accepted by an IdP's member. Before, only membership.state said so, and an adoption's member.updated
-- (written with the account, before the member row) carried the old source: a consumer of membership.events kept
-- migrated members as 'jit' for ever. One member.updated per membership whose source changed, carrying the new
-- source, before the state and role events of the same change (V13, otherwise unchanged).
create or replace function members_updated() returns trigger language plpgsql as $$
begin
    perform emit_member_events(array(
        select change from (
            select row('updated', n.account_id, n.organization_id, n.role, null, n.state, n.source)::member_change
                       as change,
                   n.account_id, n.organization_id, 0 as step
            from old_members o join new_members n using (account_id, organization_id)
            where o.source <> n.source
            union all
            select row(case when n.state = 'active' then 'reactivated' else 'deactivated' end, n.account_id,
                       n.organization_id, n.role, null, n.state, n.source)::member_change,
                   n.account_id, n.organization_id, 1
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
