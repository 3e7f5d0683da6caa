-- The userName lookups an IdP makes before each create, answered together (UserQuerySql.USER_NAME_LOOKUPS), planned
-- once per database connection. Sent as a prepared statement, PostgreSQL planned them again on every execution: the
-- custom plan of an array of 1-4 lookups is estimated cheaper than the generic plan (which assumes 10), so the plan
-- cache never settled on the generic one - pg_stat_statements with track_planning counted 2,606 plans in 2,605
-- calls, 0.34 ms of planning against 0.08 ms of execution each. Both plans are the same: the unnested lookups, then
-- one entry of the unique index on (connection_id, lower(user_name)) each. A PL/pgSQL function keeps the plan of its
-- query for the session, and its SET clause makes that the generic plan (as V21 does for the outbox functions).
create function user_name_lookups(connection_ids uuid[], user_names text[])
    returns table (lookup bigint, id uuid, connection_id uuid, user_name text, external_id text, active boolean,
                   attributes text, version bigint, created_at timestamptz, updated_at timestamptz)
    language plpgsql stable set plan_cache_mode = force_generic_plan as $$
begin
    return query
        select l.position - 1, a.id, a.connection_id, a.user_name, a.external_id, a.active, cast(a.attributes as text),
               a.version, a.created_at, a.updated_at
        from unnest(connection_ids, user_names) with ordinality as l(wanted_connection, wanted_name, position)
        join account a on a.connection_id = l.wanted_connection and lower(a.user_name) = lower(l.wanted_name)
                          and a.source = 'scim';
end;
$$;
