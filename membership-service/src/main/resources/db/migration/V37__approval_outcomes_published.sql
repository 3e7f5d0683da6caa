-- An admin's approval applies held de-provisioning changes under commands of its own (UserCommand.reissued) and
-- publishes their outcomes once committed: group-sync-service takes a deactivated or removed user out of their teams
-- from them, audit-service records them. A crash between the commit and Kafka's acknowledgement lost them, and the
-- changes, approved already, could not be approved again. The command each change was applied under is kept with it
-- until its outcome is published (ApprovalOutcomes publishes what is left over).
alter table held_change add column approval_command_id uuid, add column approval_published_at timestamptz;
-- Changes decided before this migration were published (or lost) long ago: nothing to publish.
create index held_change_approval_unpublished on held_change (decided_at)
    where approval_command_id is not null and approval_published_at is null;
-- Marking them published finds them by command (held_change is kept, and grows with every decision).
create index held_change_approval_command on held_change (approval_command_id) where approval_command_id is not null;
