-- An invitation is deleted retention.expired-invitations (30 days) after it expired: the expiry walks this index
-- from its oldest entry, a batch at a time.
create index invitation_expires_at on invitation (expires_at);
