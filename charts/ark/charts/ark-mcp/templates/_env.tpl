{{- define "ark-mcp.env" -}}
- name: NATS_URL
  value: {{ include "ark.natsUrl" . | quote }}
{{- /* Callers authenticate with ark-api's keys, kept in the release namespace as ark-api's chart sets. */}}
- name: ARK_API_KEYS_NAMESPACE
  value: {{ .Release.Namespace | quote }}
{{- end }}
