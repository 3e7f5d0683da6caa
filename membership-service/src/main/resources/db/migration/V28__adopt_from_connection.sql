-- The connection-to-connection migration (an organization moving from one IdP to another): while set, a SCIM create
-- on this connection adopts the active account of the same userName that the named connection owns - same account
-- id, memberships, roles and teams - instead of refusing it as another connection's member.
alter table connection add column adopt_from_connection_id uuid references connection (id) on delete set null;

-- An adopted member's events and member-state record name its new connection: the account triggers fire on a changed
-- connection as on a changed userName (V9, V14), otherwise unchanged.
create or replace function accounts_updated() returns trigger language plpgsql as $$
begin
    perform emit_member_events(array(
        select row('updated', m.account_id, m.organization_id, m.role, null, m.state, m.source)::member_change
        from old_accounts o
        join new_accounts n on n.id = o.id
        join member m on m.account_id = n.id
        where (o.user_name, o.external_id, o.attributes, o.connection_id)
              is distinct from (n.user_name, n.external_id, n.attributes, n.connection_id)
        order by m.account_id, m.organization_id));
    return null;
end;
$$;

create or replace function account_member_states_updated() returns trigger language plpgsql as $$
begin
    perform emit_member_states(
        array(select m.account_id from old_rows o join new_rows n on n.id = o.id join member m on m.account_id = n.id
              where (o.user_name, o.external_id, o.connection_id) is distinct from (n.user_name, n.external_id, n.connection_id)
              order by m.account_id, m.organization_id),
        array(select m.organization_id from old_rows o join new_rows n on n.id = o.id join member m on m.account_id = n.id
              where (o.user_name, o.external_id, o.connection_id) is distinct from (n.user_name, n.external_id, n.connection_id)
              order by m.account_id, m.organization_id));
    return null;
end;
$$;
