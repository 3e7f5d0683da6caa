{{/*
Least privilege on Kafka: what each service reads, writes and consumes as (the topics and group ids of its
application.properties; ChartTest compares the two). Topics are read with Read and Describe, written with Write
and Describe; consumer groups need Read. A service's outbox engine owns its <service>.outbox-offsets topic
(creates, reads and writes it). Groups made per instance (scim-gateway-<uuid>, audit-service-chain-heads-<uuid>)
are granted by their prefix.
audit-service writes the command topics because replaying a parked command sends it there again.
*/}}
{{- define "scim.kafkaAclRules" -}}
gateway:
  read: [scim.command.outcomes, scim.credentials]
  write: [scim.user.commands, scim.group.commands, admin.actions]
  groups: []
  groupPrefixes: [scim-gateway-]
  owns: []
membership:
  read: [scim.user.commands, group.placements]
  write: [scim.command.outcomes, scim.user.commands.dlq, membership.events, membership.state, scim.credentials]
  groups: [membership-service, membership-service-group-placements]
  groupPrefixes: []
  owns: [membership-service.outbox-offsets]
groupSync:
  read: [scim.group.commands, scim.command.outcomes]
  write: [scim.command.outcomes, scim.group.commands.dlq, team.events, group.placements]
  groups: [group-sync-service, group-sync-service-directory]
  groupPrefixes: []
  owns: [group-sync-service.outbox-offsets]
audit:
  read: [scim.user.commands, scim.group.commands, scim.command.outcomes, membership.events, team.events, admin.actions, scim.user.commands.dlq, scim.group.commands.dlq, audit.dlq, audit.chain-heads]
  write: [audit.dlq, scim.user.commands, scim.group.commands, audit.chain-heads]
  groups: [audit-service]
  groupPrefixes: [audit-service-chain-heads-]
  owns: []
{{- end -}}

{{/* The Strimzi ACL rules of one service, by its key in scim.services. */}}
{{- define "scim.kafkaAcls" -}}
{{- $rules := index (include "scim.kafkaAclRules" . | fromYaml) . -}}
{{- range $rules.read }}
- resource: {type: topic, name: {{ . }}, patternType: literal}
  operations: [Read, Describe]
{{- end }}
{{- range $rules.write }}
- resource: {type: topic, name: {{ . }}, patternType: literal}
  operations: [Write, Describe]
{{- end }}
{{- range $rules.owns }}
- resource: {type: topic, name: {{ . }}, patternType: literal}
  operations: [Create, Describe, DescribeConfigs, Read, Write]
{{- end }}
{{- range $rules.groups }}
- resource: {type: group, name: {{ . }}, patternType: literal}
  operations: [Read, Describe]
{{- end }}
{{- range $rules.groupPrefixes }}
- resource: {type: group, name: {{ . }}, patternType: prefix}
  operations: [Read, Describe]
{{- end }}
{{- end -}}
