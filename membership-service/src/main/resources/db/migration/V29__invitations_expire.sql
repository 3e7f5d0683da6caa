-- Invitations expire (membership.invitations.valid-for, 14 days by default): one sent to a wrong address, or to a
-- contractor who never signed in, must not grant access months later. An expired invitation is kept (the admin
-- sees it and invites again, which renews it) but never accepted. Those pending before this migration get the
-- default period from now, not from when they were sent: none is cut short by the upgrade.
alter table invitation add column expires_at timestamptz;
update invitation set expires_at = date_trunc('milliseconds', now()) + interval '14 days';
alter table invitation alter column expires_at set not null;
