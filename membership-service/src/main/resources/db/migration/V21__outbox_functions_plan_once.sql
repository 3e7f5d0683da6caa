-- The two functions that write membership.events and membership.state records (V9, V14) run one INSERT ... SELECT
-- over the arrays of a whole batch, joined to account, member, organization and team. PL/pgSQL keeps its statements
-- prepared, but PostgreSQL's plan cache kept choosing a custom plan for every call: with the arrays' lengths known,
-- a custom plan is estimated cheaper than the generic one, so each call planned the join again. Measured on the local
-- stack (pg_stat_statements, 4,000-user sync, 2026-12-01): the member insert, whose statement triggers call both,
-- went from 4.0 to 2.1 ms per batch of ~5 creates with the generic plan forced. The generic plan is the same index
-- nested loop for any batch size the command consumer hands over (max.poll.records 500).
alter function emit_member_states(uuid[], uuid[]) set plan_cache_mode = force_generic_plan;
alter function emit_member_events(member_change[]) set plan_cache_mode = force_generic_plan;
