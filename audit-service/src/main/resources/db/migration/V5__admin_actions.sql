-- Admin writes through the gateway (admin.actions) are recorded too, as kind 'admin'.
alter table audit_log drop constraint audit_log_kind_check;
alter table audit_log add constraint audit_log_kind_check check (kind in ('command', 'outcome', 'event', 'admin'));
