-- emit_member_states as V22 left it: each record's teams read by a subquery per record. V26 had replaced that with
-- one grouped read per batch after an A/B on a live stack (the two definitions swapped in turn between 10,000-user
-- syncs, pg_stat_statements with track = all) put the function at 1.07-1.29 against 1.55-1.72 ms per batch. Measured
-- again in isolation - the two functions called in turn in one session, 1,000 calls of 10 members each, the same
-- members for both - the grouped read was no faster: 1,336-1,578 ms against 1,302-1,572 with other members in each
-- call, 537-781 against 515-613 ms with the same 10 members in every call. The live A/B had measured the machine's
-- drift, not the function. The per-record subquery is restored; docs/performance.md has both measurements.
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
