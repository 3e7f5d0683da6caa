-- Groups place people (issue 20). A SCIM user is a member of an organization when its attribute placement
-- (dockerOrg, or the connection's default) puts it there, or when a mapped IdP group does (group.placements,
-- from group-sync-service); it leaves when neither does any more. Its role there is the highest of the two.

-- The role the attribute placement gives in this organization; null when only groups keep the member here.
alter table member add column attribute_role text check (attribute_role in ('member', 'editor', 'owner'));
update member set attribute_role = role where source = 'scim';

-- Every organization the user's mapped groups place it in, as group-sync-service last published it: the highest
-- role those groups give, and their names (for the admin). Kept while a seat is refused, so that the placement
-- is made once seats are added.
create table group_placement (
    account_id      uuid not null references account (id) on delete cascade,
    organization_id uuid not null references organization (id),
    role            text not null check (role in ('member', 'editor', 'owner')),
    groups          text[] not null,
    primary key (account_id, organization_id)
);
create index group_placement_organization on group_placement (organization_id);

-- Paths that write SCIM members without knowing of groups (sign-in adoption, the JIT-to-SCIM migration) make
-- attribute placements: the member stays until the attribute placement moves.
create function member_attribute_role_default() returns trigger language plpgsql as $$
begin
    if not exists (select 1 from group_placement g
                   where g.account_id = new.account_id and g.organization_id = new.organization_id) then
        new.attribute_role := new.role;
    end if;
    return new;
end;
$$;
create trigger member_attribute_role_default before insert or update of source on member for each row
    when (new.source = 'scim' and new.attribute_role is null) execute function member_attribute_role_default();
