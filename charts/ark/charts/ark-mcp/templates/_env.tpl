{{- define "ark-mcp.env" -}}
- name: NATS_URL
  value: {{ include "ark.natsUrl" . | quote }}
{{- end }}
