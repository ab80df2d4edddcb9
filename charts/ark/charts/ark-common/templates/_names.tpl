{{/* Names and labels. "ctx" is (dict "root" $ "c" <workload values> "component" <"" or a role>). */}}
{{- define "ark.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end }}

{{- define "ark.fullname" -}}
{{- default (include "ark.name" .) .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- end }}

{{- define "ark.workloadName" -}}
{{- if .component -}}
{{- printf "%s-%s" (include "ark.fullname" .root) .component | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- include "ark.fullname" .root -}}
{{- end -}}
{{- end }}

{{/* Cluster-scoped names carry the namespace, so two releases in two namespaces don't collide. */}}
{{- define "ark.clusterName" -}}
{{- printf "%s-%s" .root.Release.Namespace (include "ark.workloadName" .) | trunc 63 | trimSuffix "-" -}}
{{- end }}

{{- define "ark.serviceAccountName" -}}
{{- if .c.serviceAccount.create -}}
{{- default (include "ark.workloadName" .) .c.serviceAccount.name -}}
{{- else -}}
{{- default "default" .c.serviceAccount.name -}}
{{- end -}}
{{- end }}

{{- define "ark.selectorLabels" -}}
app.kubernetes.io/name: {{ include "ark.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
{{- with .component }}
app.kubernetes.io/component: {{ . }}
{{- end }}
{{- end }}

{{- define "ark.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .root.Chart.Name .root.Chart.Version }}
{{ include "ark.selectorLabels" . }}
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
app.kubernetes.io/part-of: ark
{{- end }}

{{/* image.tag, else global.imageTag, else the chart's appVersion. */}}
{{- define "ark.image" -}}
{{- $tag := default .Chart.AppVersion (default .Values.global.imageTag .Values.image.tag) -}}
{{- printf "%s:%s" .Values.image.repository $tag -}}
{{- end }}

{{/* natsUrl, else global.natsUrl: split processes share queries and events only through NATS JetStream. */}}
{{- define "ark.natsUrl" -}}
{{- required (printf "%s: natsUrl or global.natsUrl is required (NATS with JetStream)" .Chart.Name) (default .Values.global.natsUrl .Values.natsUrl) -}}
{{- end }}
