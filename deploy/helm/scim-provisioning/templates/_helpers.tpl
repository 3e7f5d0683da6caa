{{/* The services this chart runs: values key, image/app name, HTTP port. */}}
{{- define "scim.services" -}}
gateway: scim-gateway
membership: membership-service
groupSync: group-sync-service
audit: audit-service
{{- end -}}

{{/* What each service is, as app.kubernetes.io/component. */}}
{{- define "scim.components" -}}
gateway: gateway
membership: membership
groupSync: group-sync
audit: audit
{{- end -}}

{{/*
The prefix of every object name: fullnameOverride, else <release>-<nameOverride>, else the release name (so a
release "scim" runs scim-scim-gateway, scim-membership-service, ...).
*/}}
{{- define "scim.prefix" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 40 | trimSuffix "-" -}}
{{- else if .Values.nameOverride -}}
{{- printf "%s-%s" .Release.Name .Values.nameOverride | trunc 40 | trimSuffix "-" -}}
{{- else -}}
{{- .Release.Name | trunc 40 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{/* A service's object name; context: dict with name (the service's app name) and root. */}}
{{- define "scim.fullname" -}}
{{- printf "%s-%s" (include "scim.prefix" .root) .name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Labels of the release's shared objects (ConfigMaps, Secrets, policies, Strimzi resources). */}}
{{- define "scim.commonLabels" -}}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/part-of: scim-provisioning
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/* Labels of one service's objects; context: dict with name, component and root. */}}
{{- define "scim.labels" -}}
app.kubernetes.io/name: {{ .name }}
app.kubernetes.io/component: {{ .component }}
{{ include "scim.commonLabels" .root }}
{{- end -}}

{{- define "scim.selector" -}}
app.kubernetes.io/name: {{ .name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
{{- end -}}

{{- define "scim.configMap" -}}
{{- printf "%s-config" (include "scim.prefix" .) -}}
{{- end -}}

{{- define "scim.dbSecret" -}}
{{- default (printf "%s-postgresql" (include "scim.prefix" .)) .Values.postgresql.existingSecret -}}
{{- end -}}

{{- define "scim.adminSecret" -}}
{{- default (printf "%s-admin" (include "scim.prefix" .)) .Values.admin.existingSecret -}}
{{- end -}}

{{- define "scim.auditChainSecret" -}}
{{- default (printf "%s-audit-chain" (include "scim.prefix" .)) .Values.auditChain.existingSecret -}}
{{- end -}}

{{/* The service account the pods run as. */}}
{{- define "scim.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (printf "%s-scim-provisioning" (include "scim.prefix" .)) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* The namespace of the Strimzi resources: where the operator watches (default: the release's). */}}
{{- define "scim.strimziNamespace" -}}
{{- default .Release.Namespace .Values.strimzi.namespace -}}
{{- end -}}

{{/* One service's Strimzi KafkaUser name; context: dict with name and root. */}}
{{- define "scim.kafkaUser" -}}
{{- include "scim.fullname" . -}}
{{- end -}}

{{/* A service's image: <registry>/<name>:<tag> or <registry>/<name>@<digest>; context: dict with key, name, root. */}}
{{- define "scim.image" -}}
{{- $root := .root -}}
{{- $digest := index ($root.Values.image.digests | default dict) .key | default "" -}}
{{- if $digest -}}
{{- printf "%s/%s@%s" $root.Values.image.registry .name $digest -}}
{{- else -}}
{{- printf "%s/%s:%s" $root.Values.image.registry .name (default $root.Chart.AppVersion $root.Values.image.tag) -}}
{{- end -}}
{{- end -}}

{{/* Refusals of settings that render but cannot work. */}}
{{- define "scim.validate" -}}
{{- $kafka := .Values.kafka -}}
{{- $tls := or (eq $kafka.securityProtocol "SSL") (eq $kafka.securityProtocol "SASL_SSL") -}}
{{- $sasl := or (eq $kafka.securityProtocol "SASL_PLAINTEXT") (eq $kafka.securityProtocol "SASL_SSL") -}}
{{- $users := and .Values.strimzi.enabled .Values.strimzi.users.enabled -}}
{{- if and (not $tls) (or $kafka.tls.caSecret.name $kafka.tls.clientCertSecret.name) -}}
{{- fail (printf "kafka.tls.* is set but kafka.securityProtocol is %s: use SSL or SASL_SSL" $kafka.securityProtocol) -}}
{{- end -}}
{{- if and $sasl (not $kafka.saslMechanism) -}}
{{- fail (printf "kafka.securityProtocol %s needs kafka.saslMechanism" $kafka.securityProtocol) -}}
{{- end -}}
{{- if and $sasl (not $kafka.saslJaasConfigSecret.name) (not (and $users (eq .Values.strimzi.users.authentication "scram-sha-512"))) -}}
{{- fail (printf "kafka.securityProtocol %s needs kafka.saslJaasConfigSecret.name (or strimzi.users with scram-sha-512)" $kafka.securityProtocol) -}}
{{- end -}}
{{- if and $users (eq .Values.strimzi.users.authentication "tls") (ne $kafka.securityProtocol "SSL") -}}
{{- fail "strimzi.users.authentication tls needs kafka.securityProtocol SSL" -}}
{{- end -}}
{{- if and $users (eq .Values.strimzi.users.authentication "scram-sha-512") (not $sasl) -}}
{{- fail "strimzi.users.authentication scram-sha-512 needs kafka.securityProtocol SASL_SSL or SASL_PLAINTEXT" -}}
{{- end -}}
{{- if and (not .Values.admin.existingSecret) (lt (len .Values.admin.token) 32) -}}
{{- fail "admin.token must be at least 32 characters (or set admin.existingSecret, recommended)" -}}
{{- end -}}
{{- /* Behind the ingress every request comes from the controller: without its address trusted to forward the
       client's, ten bad tokens a minute from anyone would put every IdP and admin on 429 (docs/security.md). */ -}}
{{- if and .Values.ingress.enabled (not .Values.ingress.trustedProxies) -}}
{{- fail "ingress.enabled needs ingress.trustedProxies: the ingress controller's pod CIDRs, so that the gateway reads the client address it forwards (without it every client shares the controller's address, and one client's failed sign-ins block them all)" -}}
{{- end -}}
{{- if and .Values.serviceMonitor.enabled .Values.networkPolicy.enabled (not .Values.networkPolicy.metricsFrom) -}}
{{- fail "serviceMonitor.enabled needs networkPolicy.metricsFrom (Prometheus's pods): the internal services' network policy refuses its scrapes otherwise, and the alert rules see no series" -}}
{{- end -}}
{{- end -}}
