-- Membership events, written to the outbox by triggers in the same transaction as the change they describe
-- (so no code path - SCIM, JIT sign-in, admin API, cascading deletes - can change a member without its
-- event), captured from the WAL by Debezium and published to Kafka as CloudEvents (outbox-relay).

-- The outbox table, its heartbeat table, publication and slot: outbox-relay's db/outbox migrations.

-- One membership event. The member id is the account id: the id SCIM knows the user by.
create function emit_member_event(kind text, member_account uuid, member_organization uuid, member_role text,
        previous_role text, member_state text, member_source text) returns void language plpgsql as $$
declare
    acct account;
    org_name text;
    event_id uuid := gen_random_uuid();
begin
    select * into acct from account where id = member_account;
    select name into org_name from organization where id = member_organization;
    insert into outbox_event (id, topic, event_key, event_type, subject, connection_id, traceparent, payload)
    values (event_id, 'membership.events', member_account::text, 'dev.scimsync.membership.member.' || kind || '.v1',
            member_account::text, acct.connection_id::text, nullif(current_setting('scimsync.traceparent', true), ''),
            jsonb_build_object(
                'eventId', event_id,
                'memberId', member_account,
                'userName', acct.user_name,
                'externalId', acct.external_id,
                'organizationId', member_organization,
                'organization', org_name,
                'role', member_role,
                'previousRole', previous_role,
                'state', member_state,
                'source', member_source,
                'connectionId', acct.connection_id,
                'occurredAt', to_char(clock_timestamp() at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')));
end;
$$;

create function member_changed() returns trigger language plpgsql as $$
begin
    if tg_op = 'INSERT' then
        perform emit_member_event('created', new.account_id, new.organization_id, new.role, null, new.state, new.source);
    elsif tg_op = 'DELETE' then
        -- When the whole account is deleted, account_deleting has already reported the removal.
        if exists (select 1 from account where id = old.account_id) then
            perform emit_member_event('removed', old.account_id, old.organization_id, old.role, null, old.state,
                                      old.source);
        end if;
    else
        -- Each kind of change is one event: a deactivation that also changes the role is two.
        if old.state <> new.state then
            perform emit_member_event(case when new.state = 'active' then 'reactivated' else 'deactivated' end,
                                      new.account_id, new.organization_id, new.role, null, new.state, new.source);
        end if;
        if old.role <> new.role then
            perform emit_member_event('role_changed', new.account_id, new.organization_id, new.role, old.role,
                                      new.state, new.source);
        end if;
    end if;
    return null;
end;
$$;

create trigger member_events after insert or update or delete on member
    for each row execute function member_changed();

-- A deleted account leaves every organization; reported before the cascade removes the member rows, while
-- the account's name is still there to report.
create function account_deleting() returns trigger language plpgsql as $$
declare
    m member;
begin
    for m in select * from member where account_id = old.id loop
        perform emit_member_event('removed', m.account_id, m.organization_id, m.role, null, m.state, m.source);
    end loop;
    return old;
end;
$$;

create trigger account_deleting before delete on account for each row execute function account_deleting();

-- A changed profile (userName, externalId, SCIM attributes) is an update of each of the account's memberships.
create function account_updated() returns trigger language plpgsql as $$
declare
    m member;
begin
    if (old.user_name, old.external_id, old.attributes) is distinct from (new.user_name, new.external_id, new.attributes) then
        for m in select * from member where account_id = new.id loop
            perform emit_member_event('updated', m.account_id, m.organization_id, m.role, null, m.state, m.source);
        end loop;
    end if;
    return null;
end;
$$;

create trigger account_updated after update on account for each row execute function account_updated();

-- Only the event types the catalog (docs/events/asyncapi.yaml, contracts' EventTypes) describes.
alter table outbox_event add constraint outbox_event_type check (event_type in (
    'dev.scimsync.membership.member.created.v1', 'dev.scimsync.membership.member.updated.v1',
    'dev.scimsync.membership.member.deactivated.v1', 'dev.scimsync.membership.member.reactivated.v1',
    'dev.scimsync.membership.member.role_changed.v1', 'dev.scimsync.membership.member.removed.v1'));
