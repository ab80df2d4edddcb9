{{- define "ark-api.env" -}}
- name: NATS_URL
  value: {{ include "ark.natsUrl" . | quote }}
- name: ARK_API_KEYS_NAMESPACE
  value: {{ .Release.Namespace | quote }}
- name: MEMORY_AUTH_SECRET
  valueFrom:
    secretKeyRef:
      name: {{ .Values.memoryAuth.secretName }}
      key: {{ .Values.memoryAuth.secretKey }}
      optional: true
{{- with .Values.adminKeySecret.name }}
- name: ARK_API_ADMIN_KEY
  valueFrom:
    secretKeyRef:
      name: {{ . }}
      key: {{ $.Values.adminKeySecret.key }}
{{- end }}
{{- end }}
