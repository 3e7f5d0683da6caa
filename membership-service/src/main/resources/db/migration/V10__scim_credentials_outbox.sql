-- SCIM credentials: every change of a SCIM token - or of what its connection contributes to checking it (name,
-- scim_enabled) - writes the token's whole current state to the outbox, in the same transaction, for the
-- compacted topic scim.credentials. scim-gateway reads that topic into memory and verifies bearer tokens
-- itself, instead of asking membership-service on every SCIM request. A full state per record (not a diff)
-- is what compaction needs: the latest record of a token is all a reader starting from scratch has.

create function emit_scim_credential(credential_token_id text) returns void language plpgsql as $$
declare
    token scim_token;
    conn connection;
    live boolean;
    event_id uuid := gen_random_uuid();
begin
    select * into token from scim_token where id = credential_token_id;
    select * into conn from connection where id = token.connection_id;
    -- Deleted (no row), revoked, or its connection deleted: it never works again, and its hash is not kept on.
    live := token.id is not null and token.revoked_at is null and conn.id is not null;
    insert into outbox_event (id, topic, event_key, event_type, subject, connection_id, traceparent, payload)
    values (event_id, 'scim.credentials', credential_token_id, 'dev.scimsync.membership.scim_credential.v1',
            credential_token_id, conn.id::text, nullif(current_setting('scimsync.traceparent', true), ''),
            jsonb_build_object(
                'eventId', event_id,
                'tokenId', credential_token_id,
                'connectionId', conn.id,
                'connectionName', conn.name,
                'salt', case when live then encode(token.salt, 'base64') end,
                'secretHash', case when live then encode(token.secret_hash, 'base64') end,
                'scimEnabled', coalesce(conn.scim_enabled, false),
                'revoked', not live,
                'occurredAt', to_char(clock_timestamp() at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')));
end;
$$;

create function scim_token_changed() returns trigger language plpgsql as $$
begin
    if tg_op = 'DELETE' then
        perform emit_scim_credential(old.id);
    else
        perform emit_scim_credential(new.id);
    end if;
    return null;
end;
$$;

-- Not on last_used_at alone (the gateway reports use once a minute): that would republish every used token
-- every minute for nothing. A token deleted with its connection (on delete cascade) fires the delete here,
-- after the connection row is gone, so it is published as revoked - no trigger on connection delete needed.
create trigger scim_credentials after insert or delete on scim_token
    for each row execute function scim_token_changed();
create trigger scim_credentials_updated after update on scim_token
    for each row
    when ((old.id, old.connection_id, old.salt, old.secret_hash, old.revoked_at)
          is distinct from (new.id, new.connection_id, new.salt, new.secret_hash, new.revoked_at))
    execute function scim_token_changed();

-- Renaming a connection or switching SCIM on or off changes the state of each of its live tokens.
create function connection_credentials_changed() returns trigger language plpgsql as $$
declare
    live_token text;
begin
    for live_token in select id from scim_token where connection_id = new.id and revoked_at is null loop
        perform emit_scim_credential(live_token);
    end loop;
    return null;
end;
$$;

create trigger scim_credentials after update on connection
    for each row
    when ((old.name, old.scim_enabled) is distinct from (new.name, new.scim_enabled))
    execute function connection_credentials_changed();

-- Only the event types the catalog (docs/events/asyncapi.yaml, contracts' EventTypes) describes.
alter table outbox_event drop constraint outbox_event_type;
alter table outbox_event add constraint outbox_event_type check (event_type in (
    'dev.scimsync.membership.member.created.v1', 'dev.scimsync.membership.member.updated.v1',
    'dev.scimsync.membership.member.deactivated.v1', 'dev.scimsync.membership.member.reactivated.v1',
    'dev.scimsync.membership.member.role_changed.v1', 'dev.scimsync.membership.member.removed.v1',
    'dev.scimsync.membership.scim_credential.v1'));

-- The tokens that exist already, so that an existing deployment fills the topic (revoked ones too: the
-- gateway then refuses them from memory, without asking).
select emit_scim_credential(id) from scim_token order by created_at;
