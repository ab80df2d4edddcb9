{{- define "ark-api.env" -}}
- name: NATS_URL
  value: {{ include "ark.natsUrl" . | quote }}
- name: ARK_API_KEYS_NAMESPACE
  value: {{ .Release.Namespace | quote }}
{{- with .Values.adminKeySecret.name }}
- name: ARK_API_ADMIN_KEY
  valueFrom:
    secretKeyRef:
      name: {{ . }}
      key: {{ $.Values.adminKeySecret.key }}
{{- end }}
{{- end }}
