-- Access follows SCIM's state: a sign-in of a user the IdP deactivated or removed is refused, saying when.

-- When the IdP deactivated the account (null while active). Accounts deactivated before this column get
-- their last change, the latest time they can have been deactivated.
alter table account add column deactivated_at timestamptz;
update account set deactivated_at = updated_at where not active;
alter table account add constraint account_deactivated_at check (active = (deactivated_at is null));

-- userNames SCIM removed (DELETE /Users/{id} deletes the account row): without this, the next JIT sign-in or
-- accepted invitation would create the person again. Written in the transaction of the delete; cleared when
-- SCIM creates the userName on the connection again.
create table scim_removal (
    connection_id   uuid not null references connection (id) on delete cascade,
    user_name_lower text not null,
    removed_at      timestamptz not null,
    primary key (connection_id, user_name_lower)
);
