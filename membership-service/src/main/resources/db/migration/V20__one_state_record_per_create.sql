-- A member created with a team wrote two membership.state records: one when its member row was inserted (no teams
-- yet) and one when its team place was. The SCIM batches now insert team places before member rows, and a team
-- place writes the state only of a member who is already in the team's organization: a member inserted after its
-- team place writes its whole state, teams included, once. A team place of someone not (yet) a member of that
-- organization changes no state a consumer holds: that key's latest record is already a tombstone, or there is none.
create or replace function team_member_states_inserted() returns trigger language plpgsql as $$
begin
    perform emit_member_states(array(select n.account_id from new_rows n join team t on t.id = n.team_id
                                     join member m on m.account_id = n.account_id
                                                  and m.organization_id = t.organization_id
                                     order by n.account_id, t.organization_id),
                               array(select t.organization_id from new_rows n join team t on t.id = n.team_id
                                     join member m on m.account_id = n.account_id
                                                  and m.organization_id = t.organization_id
                                     order by n.account_id, t.organization_id));
    return null;
end;
$$;
