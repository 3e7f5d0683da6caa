{{/* The services this chart runs: values key, image/app name, HTTP port. */}}
{{- define "scim.services" -}}
gateway: scim-gateway
membership: membership-service
groupSync: group-sync-service
audit: audit-service
{{- end -}}

{{- define "scim.fullname" -}}
{{- printf "%s-%s" .Release.Name .name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "scim.labels" -}}
app.kubernetes.io/name: {{ .name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/part-of: scim-provisioning
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "scim.selector" -}}
app.kubernetes.io/name: {{ .name }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "scim.dbSecret" -}}
{{- default (printf "%s-postgresql" .Release.Name) .Values.postgresql.existingSecret -}}
{{- end -}}

{{- define "scim.adminSecret" -}}
{{- default (printf "%s-admin" .Release.Name) .Values.admin.existingSecret -}}
{{- end -}}
